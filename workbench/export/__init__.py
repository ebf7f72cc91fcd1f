"""Dossier exports, one module per output format (filled in by the dossier work)."""
