"""Dialogs: import plan/progress/summary, highlight editor, keyboard shortcuts, record."""
