"""The entity register in the window (issue 18 §2)."""
