"""Evidence dossiers (filled in by the dossier work)."""
