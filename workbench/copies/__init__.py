"""Other copies of a document (issue 18 §1): the same text captured twice, whatever the format.

``signature`` turns a text into MinHash values over its shingles, ``bands`` keeps the library's
signatures in LSH buckets so a new document meets only its likely copies, ``finder`` signs
documents and records the pairs, ``compare`` shows what differs between two copies, and
``service`` is the facade's mixin (``CopiesMixin``).
"""
