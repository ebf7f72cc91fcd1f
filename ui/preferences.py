"""The user's preferences: theme, text size, OCR languages, exhibit and Bates prefixes, library,
the backup reminder.

They live per user in the same ``QSettings`` store as the recent libraries and the window layout
(organisation and application "Workbench"), under ``preferences/``; nothing is written into a
library, so two people sharing a library keep their own choices. ``load`` never fails: a value
that is missing or cannot be read falls back to its default.

``apply`` makes the looks take effect at once (theme and text size); the other values are read
where they are used (the import, the New dossier dialog, the export row, the library dialogs).
"""

from __future__ import annotations

import os
from dataclasses import dataclass, fields
from pathlib import Path

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QApplication

THEMES = ("system", "light", "dark")
TEXT_SIZES = (90, 100, 115, 130, 150, 175, 200)  # percent of the normal size
DEFAULT_EXHIBIT_PREFIX = "Exhibit "  # the core's default for a new dossier
GROUP = "preferences/"


@dataclass
class Preferences:
    theme: str = "system"  # "system" follows the desktop's light or dark setting
    text_size: int = 100  # percent
    ocr_languages: str = ""  # "" leaves it to the library's own setting ("auto")
    exhibit_prefix: str = DEFAULT_EXHIBIT_PREFIX
    bates_prefix: str = ""  # the last one used for an export
    library: str = ""  # the library opened at start; "" is the built-in default location
    backup_reminder_days: int = 7  # remind when the last backup is older; 0 never reminds
    lock_after_minutes: int = 10  # an encrypted library locks after this idle time; 0 never


def load() -> Preferences:
    s = QSettings()
    out = Preferences()
    for f in fields(Preferences):
        value = s.value(GROUP + f.name)
        if value is None:
            continue
        default = getattr(out, f.name)
        try:
            setattr(out, f.name, type(default)(value))
        except (TypeError, ValueError):  # a hand-edited or older value: keep the default
            continue
    if out.theme not in THEMES:
        out.theme = "system"
    if not 50 <= out.text_size <= 300:
        out.text_size = 100
    if not 0 <= out.backup_reminder_days <= 365:
        out.backup_reminder_days = 7
    if not 0 <= out.lock_after_minutes <= 24 * 60:
        out.lock_after_minutes = 10
    return out


def save(prefs: Preferences) -> None:
    s = QSettings()
    for f in fields(Preferences):
        s.setValue(GROUP + f.name, getattr(prefs, f.name))
    s.sync()


def remember_bates_prefix(prefix: str | None) -> None:
    """Keeps the Bates prefix of an export for the next one (an empty one does not erase it)."""
    if prefix:
        QSettings().setValue(GROUP + "bates_prefix", prefix)


def export_folder() -> Path:
    """Where the next save dialog opens (``dialogs/save_as.py``: a dossier, the chronology,
    passages, original bytes): the folder of the last file saved while it exists, else the
    home folder (it opened there every time, and a second export meant browsing back)."""
    value = QSettings().value(GROUP + "export_folder", "")
    folder = Path(str(value)) if value else None
    return folder if folder is not None and folder.is_dir() else Path.home()


def remember_export_folder(out: Path) -> None:
    QSettings().setValue(GROUP + "export_folder", str(out.parent))


def import_folder() -> Path:
    """Where the import choosers open: the folder of the last files chosen while it exists,
    else the home folder (they opened in the program's working folder)."""
    value = QSettings().value(GROUP + "import_folder", "")
    folder = Path(str(value)) if value else None
    return folder if folder is not None and folder.is_dir() else Path.home()


def remember_import_folder(chosen: Path) -> None:
    """``chosen``: a file chosen (its folder is kept) or a folder (its parent, so the next
    choice can be beside it)."""
    QSettings().setValue(GROUP + "import_folder", str(chosen.parent))


def ocr_languages() -> str | None:
    """The OCR languages to pass to an import, or None to use the library's setting."""
    return load().ocr_languages.strip() or None


def chosen_library() -> Path | None:
    """The library the user chose to open at start, if any.

    ``WORKBENCH_LIBRARY`` (scripts, tests) wins over it, as it wins over the built-in default.
    """
    from workbench.paths import LIBRARY_ENV

    if os.environ.get(LIBRARY_ENV):
        return None
    chosen = load().library.strip()
    return Path(chosen).expanduser() if chosen else None


def library_dialog_folder() -> str:
    """Where File → New library and Open library start: beside the default library.

    The folder that holds the chosen library, so a new library lands next to it and the chosen
    one is a click away; without a choice, the home folder (the built-in default location is a
    hidden application folder that nobody should have to browse).
    """
    chosen = chosen_library()
    if chosen is not None:
        for folder in (chosen.parent, chosen):
            if folder.is_dir():
                return str(folder)
    return str(Path.home())


def apply(app: QApplication, prefs: Preferences | None = None) -> None:
    """Theme and text size, live: every open window redraws without a restart."""
    from . import theme

    prefs = prefs or load()
    theme.set_choice(prefs.theme)
    theme.set_text_scale(prefs.text_size / 100)
    theme.apply_theme(app)
