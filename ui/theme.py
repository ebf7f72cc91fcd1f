"""Looks: Fusion style, a light or dark palette, the stylesheet, fonts and the text size.

The theme is the user's choice in Preferences (``set_choice``: system, light or dark); "system"
follows ``QStyleHints.colorScheme()`` and changes live when the desktop switches.
``WORKBENCH_THEME=dark|light`` overrides both (screenshots, testing, scripts). The text size
scales the application font and the stylesheet's pixel sizes together (``set_text_scale``).
Non-Latin scripts: the UI font falls back to Noto CJK / Noto Arabic when installed, and to any
font bundled in resources/fonts/.
"""

from __future__ import annotations

import logging
import os
import re
from dataclasses import dataclass

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QFont, QFontDatabase, QGuiApplication, QPalette
from PySide6.QtWidgets import QApplication, QHeaderView

from workbench.bundled import data_dir

log = logging.getLogger(__name__)

RESOURCES = data_dir("resources")
# Latin first: a CJK face also has Latin glyphs, but sets quotes and apostrophes full-width.
LATIN_FAMILIES = ["Noto Sans", "DejaVu Sans", "Liberation Sans"]
FALLBACK_FAMILIES = ["Noto Sans CJK SC", "Noto Sans CJK JP", "Noto Sans SC", "Source Han Sans SC",
                     "WenQuanYi Micro Hei", "Noto Sans Arabic", "Noto Naskh Arabic",
                     "Noto Sans Uyghur"]

LIGHT = {"window": "#f6f7f9", "base": "#ffffff", "alt": "#f3f5f8", "text": "#1f2328",
         "muted": "#5f6b7a", "border": "#d9dee5", "accent": "#2f6fde", "accent_text": "#ffffff",
         "sidebar": "#eef1f5", "button": "#ffffff", "hover": "#e6ecf5", "selection": "#cfe0fb",
         "selection_text": "#10223f", "bevel_light": "#ffffff", "bevel_dark": "#a0a0a0",
         # Selected text in the reading pane: a pale blue there was a highlight's twin.
         "reading_selection": "#2f6fde", "reading_selection_text": "#ffffff",
         # A search hit or mention opened in the reading pane: the selection's blue made it
         # look selected; ink-dark, it is unlike a selection and every highlight colour.
         "reading_mark": "#1f2937", "reading_mark_text": "#ffffff",
         "bad": "#c0392b", "warn": "#875a00", "ok": "#1a7f37"}
DARK = {"window": "#1e2127", "base": "#16181d", "alt": "#1b1e23", "text": "#e6e9ef",
        "muted": "#98a2b3", "border": "#343a44", "accent": "#5b93f0", "accent_text": "#0b1220",
        "sidebar": "#1a1d22", "button": "#2a2f37", "hover": "#2c3440", "selection": "#2c4a7c",
        "selection_text": "#f1f5ff", "bevel_light": "#2a2f37", "bevel_dark": "#0f1114",
        "reading_selection": "#2c4a7c", "reading_selection_text": "#f1f5ff",
        "reading_mark": "#e6e9ef", "reading_mark_text": "#111827",
        "bad": "#ff7b72", "warn": "#e3b341", "ok": "#56d364"}
# Status text: a problem, a warning, a success; each at least 4.5:1 (WCAG AA) on the theme's
# backgrounds (tests/ui/test_theme_tones.py).
TONES = ("bad", "warn", "ok")


MIN_DARK_HIGHLIGHT_LIGHTNESS = 150  # dark text stays readable on it (0-255)


@dataclass
class _Looks:
    """What the user chose in Preferences; set before ``apply_theme``."""

    choice: str = "system"
    scale: float = 1.0  # text size, 1.0 = normal
    base_pt: float = 0.0  # the normal font size, measured once by load_fonts


_looks = _Looks()
_PX = re.compile(r"font-size:\s*(\d+)px")


def set_choice(choice: str) -> None:
    """"system", "light" or "dark" (anything else counts as "system")."""
    _looks.choice = choice if choice in ("light", "dark") else "system"


def set_text_scale(scale: float) -> None:
    _looks.scale = min(max(float(scale), 0.5), 3.0)


def is_dark() -> bool:
    forced = os.environ.get("WORKBENCH_THEME", "").lower()
    if forced in ("dark", "light"):
        return forced == "dark"
    if _looks.choice in ("dark", "light"):
        return _looks.choice == "dark"
    hints = QGuiApplication.styleHints()
    return hints.colorScheme() == Qt.ColorScheme.Dark


def colors() -> dict[str, str]:
    return DARK if is_dark() else LIGHT


def tone(name: str) -> str:
    """The current theme's colour for status text ``name`` (one of ``TONES``)."""
    return colors()[name]


def apply_theme(app: QApplication) -> None:
    app.setStyle("Fusion")
    c = colors()
    app.setPalette(_palette(c))
    _apply_font(app)
    qss = (RESOURCES / "style" / "app.qss").read_text(encoding="utf-8")
    qss = qss.replace("@icons", (RESOURCES / "icons").as_posix())
    qss = qss.replace("@theme", "dark" if is_dark() else "light")  # icons drawn per theme
    for key in sorted(c, key=len, reverse=True):  # @selection_text before @selection
        qss = qss.replace("@" + key, c[key])
    qss = _PX.sub(lambda m: f"font-size: {round(int(m.group(1)) * _looks.scale)}px", qss)
    app.setStyleSheet(qss)


def follow_system(app: QApplication) -> None:
    """Re-applies the theme when the desktop switches between light and dark (connected once,
    however many windows are made; ``apply_theme`` itself ignores it unless "system" is chosen)."""
    if app.property("workbench_follows_system"):
        return
    app.setProperty("workbench_follows_system", True)
    app.styleHints().colorSchemeChanged.connect(lambda *_: apply_theme(app))


def highlight_colors(color: str) -> tuple[QColor, QColor | None]:
    """(background, text or None to keep the text colour) of a highlight in the reading pane.

    Light theme: the tag colour, translucent, as a marker pen on paper. Dark theme: nearly
    opaque, lightened if the tag colour is dark, with dark text: a bright mark that never
    resembles a redaction, which is always a black bar with white text.
    """
    background = QColor(color)
    if not is_dark():
        background.setAlpha(120)
        return background, None
    if background.lightness() < MIN_DARK_HIGHLIGHT_LIGHTNESS:
        background = QColor.fromHsl(background.hslHue(), background.hslSaturation(),
                                    MIN_DARK_HIGHLIGHT_LIGHTNESS)
    background.setAlpha(230)
    return background, QColor("#111111")


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
    # Fusion draws bevels and the tab bar's base line with these; left unset they stay the
    # light defaults, which showed as a white line under the tabs in the dark theme.
    p.setColor(role.Light, QColor(c["bevel_light"]))
    p.setColor(role.Midlight, QColor(c["bevel_light"]))
    p.setColor(role.Dark, QColor(c["bevel_dark"]))
    p.setColor(role.Shadow, QColor(c["bevel_dark"]))
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
    if not _looks.base_pt:  # the normal size, measured once (later calls see a scaled font)
        _looks.base_pt = max(font.pointSizeF(), 10.0)
    app.setFont(font)
    _apply_font(app)


def _apply_font(app: QApplication) -> None:
    if not _looks.base_pt:
        return  # fonts not loaded yet: load_fonts applies the size
    size = round(_looks.base_pt * _looks.scale, 1)
    before = app.font().pointSizeF()
    if before != size:
        font = QFont(app.font())
        font.setPointSizeF(size)
        app.setFont(font)
        _scale_row_heights(app, size / before)


def _scale_row_heights(app: QApplication, ratio: float) -> None:
    """Table rows follow a text size changed while windows are open: Qt sizes rows once, so
    at 200 % they kept their old height and clipped their text."""
    for widget in app.allWidgets():
        if not isinstance(widget, QHeaderView) or widget.orientation() != Qt.Orientation.Vertical:
            continue
        low = max(1, round(widget.minimumSectionSize() * ratio))
        default = max(low, round(widget.defaultSectionSize() * ratio))
        if ratio >= 1:  # the minimum first when growing, the default first when shrinking
            widget.setMinimumSectionSize(low)
            widget.setDefaultSectionSize(default)
        else:
            widget.setDefaultSectionSize(default)
            widget.setMinimumSectionSize(low)
