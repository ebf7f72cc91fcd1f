"""Highlights, tags and notes (filled in by the highlights work)."""
