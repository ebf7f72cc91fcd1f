"""Workbench core: an offline research library you can script.

This package never imports Qt; the GUI in ``ui/`` calls the public API in
``workbench.services``. The version here is recorded in provenance and audit events.

The version number is written once, in ``pyproject.toml``. Run from a source checkout, it is
read from there (an editable install's metadata keeps the number it was installed with until
it is reinstalled); installed from a wheel or frozen, from the distribution's metadata.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any


def _from_pyproject(pyproject: Path) -> str | None:
    """The version in ``pyproject`` when it is Workbench's own project file, else None."""
    import tomllib

    try:
        project = tomllib.loads(pyproject.read_text(encoding="utf-8")).get("project", {})
    except (OSError, ValueError):
        return None
    version = project.get("version")
    return version if project.get("name") == "workbench" and isinstance(version, str) else None


def _version() -> str:
    checkout = _from_pyproject(Path(__file__).resolve().parent.parent / "pyproject.toml")
    if checkout is not None:
        return checkout
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("workbench")
    except PackageNotFoundError:
        return "0+unknown"  # neither a checkout nor installed: still runs, says so


_cache: dict[str, str] = {}


def __getattr__(name: str) -> Any:
    # Read when first asked for, not at import: parsing pyproject.toml with tomllib is
    # ≈ 9 ms of every command's start, and `list`/`show`/`search` never record a version.
    if name == "__version__":
        if name not in _cache:
            _cache[name] = _version()
        return _cache[name]
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
