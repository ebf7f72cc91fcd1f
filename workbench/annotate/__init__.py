"""Highlights, tags and notes: quote anchoring (``anchoring``), highlight rows (``highlights``),
the tag tree (``tags``), re-extraction and re-anchoring (``reextract``), exchange formats
(``w3c``, ``csvexport``, ``qdc``, ``exchange``) and the facade mixin (``service``)."""
