"""The chronology in the window: the Chronology view and the event dialog (issue 18 §3)."""
