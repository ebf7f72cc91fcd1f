"""The Workbench desktop app (PySide6). It orchestrates the core's ``Workbench`` facade and never
decides domain rules; all database, index and file work runs on one background worker."""
