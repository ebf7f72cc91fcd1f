"""Links between highlights in the window: the links box and the link dialog (issue 18 §4)."""
