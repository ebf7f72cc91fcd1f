"""The document viewer: reading text with pages and highlights, the original, the record."""
