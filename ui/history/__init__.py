"""The History window (View → History…): who did what in the library, newest first."""
