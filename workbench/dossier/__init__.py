"""Evidence dossiers: ordered exhibits and notes (``editing``), redaction (``redaction``),
citations and CSL-JSON (``citations``), the resolved, redacted ``DossierView`` every exporter
renders (``model``), and the facade mixin (``service``). Exports live in ``workbench.export``."""
