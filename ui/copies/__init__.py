"""Other copies of a document in the window: the viewer's "Other copies (N)" control, the list
of copies, the side-by-side comparison, and search's "Collapse copies" (issue 18 §1)."""
