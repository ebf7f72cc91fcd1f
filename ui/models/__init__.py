"""Thin Qt models over plain data built on the worker (lists of dicts from the facade)."""
