"""Library-level actions: sidebar contents, recent libraries, tag moves (worker functions)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import QSettings

MAX_RECENT = 8


def sidebar_data(wb: Any) -> dict[str, Any]:
    """Everything the sidebar shows, from whichever parts of the core exist (worker side)."""
    data: dict[str, Any] = {"total": wb.count_documents(), "collections": wb.list_collections()}
    if callable(getattr(wb, "list_tags", None)):
        data["tags"] = [_plain(t) for t in wb.list_tags()]
    if callable(getattr(wb, "list_saved_searches", None)):
        data["saved_searches"] = [_plain(s) for s in wb.list_saved_searches()]
    if callable(getattr(wb, "list_dossiers", None)):
        data["dossiers"] = [_plain(d) for d in wb.list_dossiers()]
    return data


def _plain(obj: Any) -> dict[str, Any]:
    if isinstance(obj, dict):
        return obj
    if hasattr(obj, "__dataclass_fields__"):
        from dataclasses import asdict

        return asdict(obj)
    return {k: v for k, v in vars(obj).items() if not k.startswith("_")}


def recent_libraries() -> list[str]:
    value = QSettings().value("recent_libraries", [])
    items = value if isinstance(value, list) else [value] if isinstance(value, str) else []
    return [str(v) for v in items if v]


def remember_library(path: Path) -> None:
    items = [str(path)] + [p for p in recent_libraries() if p != str(path)]
    QSettings().setValue("recent_libraries", items[:MAX_RECENT])
