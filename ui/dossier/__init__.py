"""The dossier builder: exhibits in order, commentary, sections, redactions, export."""
