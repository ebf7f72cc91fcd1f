"""The codebook: the tag tree with rename, move, merge, colour, memo and delete, and the
passages coded with each tag (retrieve, open in place, export, add to a dossier)."""
