"""Looks: Fusion style, a light or dark palette that follows the system, the stylesheet, fonts.

The palette follows ``QStyleHints.colorScheme()`` and changes live when the system switches;
``WORKBENCH_THEME=dark|light`` overrides it (screenshots, testing). Non-Latin scripts: the UI font
falls back to Noto CJK / Noto Arabic when installed, and to any font bundled in resources/fonts/.
"""

from __future__ import annotations

import logging
import os
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QFont, QFontDatabase, QGuiApplication, QPalette
from PySide6.QtWidgets import QApplication

log = logging.getLogger(__name__)

RESOURCES = Path(__file__).resolve().parent.parent / "resources"
# Latin first: a CJK face also has Latin glyphs, but sets quotes and apostrophes full-width.
LATIN_FAMILIES = ["Noto Sans", "DejaVu Sans", "Liberation Sans"]
FALLBACK_FAMILIES = ["Noto Sans CJK SC", "Noto Sans CJK JP", "Noto Sans SC", "Source Han Sans SC",
                     "WenQuanYi Micro Hei", "Noto Sans Arabic", "Noto Naskh Arabic",
                     "Noto Sans Uyghur"]

LIGHT = {"window": "#f6f7f9", "base": "#ffffff", "alt": "#f3f5f8", "text": "#1f2328",
         "muted": "#5f6b7a", "border": "#d9dee5", "accent": "#2f6fde", "accent_text": "#ffffff",
         "sidebar": "#eef1f5", "button": "#ffffff", "hover": "#e6ecf5", "selection": "#cfe0fb",
         "selection_text": "#10223f"}
DARK = {"window": "#1e2127", "base": "#16181d", "alt": "#1b1e23", "text": "#e6e9ef",
        "muted": "#98a2b3", "border": "#343a44", "accent": "#5b93f0", "accent_text": "#0b1220",
        "sidebar": "#1a1d22", "button": "#2a2f37", "hover": "#2c3440", "selection": "#2c4a7c",
        "selection_text": "#f1f5ff"}


def is_dark() -> bool:
    forced = os.environ.get("WORKBENCH_THEME", "").lower()
    if forced in ("dark", "light"):
        return forced == "dark"
    hints = QGuiApplication.styleHints()
    return hints.colorScheme() == Qt.ColorScheme.Dark


def apply_theme(app: QApplication) -> None:
    app.setStyle("Fusion")
    colors = DARK if is_dark() else LIGHT
    app.setPalette(_palette(colors))
    qss = (RESOURCES / "style" / "app.qss").read_text(encoding="utf-8")
    for key in sorted(colors, key=len, reverse=True):  # @selection_text before @selection
        qss = qss.replace("@" + key, colors[key])
    app.setStyleSheet(qss)


def follow_system(app: QApplication) -> None:
    apply_theme(app)
    app.styleHints().colorSchemeChanged.connect(lambda *_: apply_theme(app))


def _palette(c: dict[str, str]) -> QPalette:
    p = QPalette()
    role = QPalette.ColorRole
    p.setColor(role.Window, QColor(c["window"]))
    p.setColor(role.WindowText, QColor(c["text"]))
    p.setColor(role.Base, QColor(c["base"]))
    p.setColor(role.AlternateBase, QColor(c["alt"]))
    p.setColor(role.Text, QColor(c["text"]))
    p.setColor(role.Button, QColor(c["button"]))
    p.setColor(role.ButtonText, QColor(c["text"]))
    p.setColor(role.Highlight, QColor(c["selection"]))
    p.setColor(role.HighlightedText, QColor(c["selection_text"]))
    p.setColor(role.ToolTipBase, QColor(c["base"]))
    p.setColor(role.ToolTipText, QColor(c["text"]))
    p.setColor(role.PlaceholderText, QColor(c["muted"]))
    p.setColor(role.Link, QColor(c["accent"]))
    p.setColor(role.Mid, QColor(c["border"]))
    for r in (role.WindowText, role.Text, role.ButtonText):
        p.setColor(QPalette.ColorGroup.Disabled, r, QColor(c["muted"]))
    return p


def load_fonts(app: QApplication) -> None:
    """Bundled fonts first, then a UI font whose fallbacks cover CJK and Arabic scripts."""
    fonts_dir = RESOURCES / "fonts"
    if fonts_dir.is_dir():
        for path in sorted(fonts_dir.rglob("*")):
            if (path.suffix.lower() in (".ttf", ".otf", ".ttc")
                    and QFontDatabase.addApplicationFont(str(path)) < 0):
                log.warning("could not load bundled font %s", path.name)
    available = set(QFontDatabase.families())
    font = QFont(app.font())
    latin = [f for f in LATIN_FAMILIES if f in available][:1] or [font.family()]
    families = latin + [f for f in FALLBACK_FAMILIES if f in available]
    font.setFamilies(families)
    if font.pointSizeF() < 10:
        font.setPointSizeF(10)
    app.setFont(font)
