"""File → New shared library… against a real PostgreSQL server, through the real dialog: the
URL typed, the originals' folder and the marker given in the dialog's fields, Create clicked;
the library is made on the server, the window opens it and says it is shared, and the typed
password is kept nowhere on disk. A database that already holds a library is said in the
dialog. (The paths that need no server: tests/ui/test_shared_library_dialog.py.)"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.ui.conftest import _isolated_settings, _window, facade  # noqa: F401 (a fixture)
from tests.ui.test_shared_library_dialog import click_create, click_ok, fill, open_dialog

SECRET = "not-in-any-file-7f3a"


@pytest.fixture
def gui(qtbot: Any, library_path: Path) -> Iterator[Any]:
    """The main window on a personal library (tests/ui/conftest.py's ``window``)."""
    yield from _window(qtbot, library_path, sync=True)


@pytest.fixture
def cache_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    # the dialog hands a typed password to libpq through this process's environment
    monkeypatch.setenv("PGPASSWORD", "")
    monkeypatch.delenv("PGPASSWORD")
    yield tmp_path / "cache"


def test_new_shared_library_is_made_on_the_server_and_opened(
        gui: Any, qtbot: Any, tmp_path: Path, pg_empty: str, cache_home: Path) -> None:
    marker, store = tmp_path / "cases" / "xinjiang", tmp_path / "share" / "originals"
    dialog = open_dialog(gui)
    fill(qtbot, dialog, pg_empty, store, marker, name="Xinjiang")
    qtbot.keyClicks(dialog.password, SECRET)  # the test cluster trusts its socket
    click_create(qtbot, dialog)
    assert not dialog.isVisible(), dialog.error.text()

    saved = json.loads((marker / "workbench-library.json").read_text(encoding="utf-8"))
    assert saved["database"] == pg_empty and saved["store"] == str(store)
    assert saved["name"] == "Xinjiang" and store.is_dir()
    # the window opened it, and says it is shared
    assert gui.session.path == marker
    assert facade(gui, lambda wb: wb.library.shared) is True
    assert gui.windowTitle() == "Xinjiang — shared on this computer's server — Workbench"
    assert "Xinjiang — shared on" in gui.library_status.text()
    # it works: a document imported into it is stored in the shared folder
    note = tmp_path / "note.txt"
    note.write_text("The trucks left the camp at night.\n", encoding="utf-8")
    facade(gui, lambda wb: wb.import_paths([note]))
    assert facade(gui, lambda wb: len(wb.list_documents())) == 1
    assert any(p.is_file() for p in store.rglob("*"))

    # the password was handed to libpq for this process only, never written down
    assert os.environ.get("PGPASSWORD") == SECRET
    assert dialog.password.text() == ""
    for folder in (marker, tmp_path / "config", tmp_path / "state", cache_home):
        for f in (p for p in folder.rglob("*") if p.is_file()):
            assert SECRET.encode() not in f.read_bytes(), f


def test_a_database_holding_a_library_is_said_in_the_dialog(
        gui: Any, qtbot: Any, tmp_path: Path, pg_empty: str, cache_home: Path) -> None:
    from workbench import shared

    shared.create(tmp_path / "first", pg_empty, tmp_path / "originals", "First")
    dialog = open_dialog(gui)
    fill(qtbot, dialog, pg_empty, tmp_path / "originals", tmp_path / "second")
    click_create(qtbot, dialog)
    assert dialog.isVisible() and "already holds a shared library" in dialog.error.text()
    assert dialog.focusWidget() is dialog.url
    assert not (tmp_path / "second").exists()


@pytest.fixture
def password_role(pg_cluster: Any, tmp_path: Path) -> Iterator[tuple[str, str]]:
    """A role the server asks a password of (scram), and a database it owns; other roles
    keep trusting the socket, so the other tests sharing the cluster are unchanged."""
    role, password = f"wbpw{os.getpid()}", "right-pass-5"
    db = pg_cluster.new_database()
    pg_cluster.execute(f"CREATE ROLE {role} LOGIN PASSWORD '{password}'",
                       f"ALTER DATABASE {db} OWNER TO {role}")
    hba = pg_cluster.data / "pg_hba.conf"
    before = hba.read_text()
    hba.write_text(f"local all {role} scram-sha-256\n" + before)
    pg_cluster.execute("SELECT pg_reload_conf()")
    yield pg_cluster.url(db, user=role), password
    hba.write_text(before)
    pg_cluster.execute("SELECT pg_reload_conf()")
    pg_cluster.drop_database(db)
    pg_cluster.execute(f"DROP ROLE IF EXISTS {role}")


def test_opening_a_shared_library_asks_for_the_servers_password(
        gui: Any, qtbot: Any, tmp_path: Path, cache_home: Path, password_role: tuple[str, str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    from workbench import shared

    url, password = password_role
    marker = tmp_path / "team"
    monkeypatch.setenv("PGPASSWORD", password)
    shared.create(marker, url, tmp_path / "originals", "Team")
    monkeypatch.delenv("PGPASSWORD")

    gui.open_path(marker)  # as File → Open library…, a recent library or `gui --library`
    ask = gui.server_password_dialog
    assert ask.isVisible() and "no password supplied" in ask.problem.text()
    # walk: it read "The server of “Team — shared on this computer's server” asks…"
    assert ask.intro.text() == ("“\u2068Team\u2069” is shared on this computer's server, "
                                "which asks for your password.")
    qtbot.keyClicks(ask.password, "wrong")
    click_ok(qtbot, ask)
    ask = gui.server_password_dialog
    assert ask.isVisible() and "password authentication failed" in ask.problem.text()
    qtbot.keyClicks(ask.password, password)
    click_ok(qtbot, ask)
    assert gui.session.path == marker
    assert gui.windowTitle().startswith("Team — shared on this computer's server")
    for f in (p for p in marker.rglob("*") if p.is_file()):
        assert password.encode() not in f.read_bytes()


def test_a_server_wanting_a_password_points_at_the_password_field(
        gui: Any, qtbot: Any, tmp_path: Path, cache_home: Path,
        password_role: tuple[str, str]) -> None:
    # Walk: "fe_sendauth: no password supplied" focused the server's address instead.
    url, password = password_role
    dialog = open_dialog(gui)
    fill(qtbot, dialog, url, tmp_path / "originals", tmp_path / "team", name="Team")
    click_create(qtbot, dialog)
    assert "no password supplied" in dialog.error.text()
    assert dialog.focusWidget() is dialog.password
    qtbot.keyClicks(dialog.password, password)
    click_create(qtbot, dialog)
    assert not dialog.isVisible(), dialog.error.text()
    assert gui.session.path == tmp_path / "team"


def test_share_this_library_copies_it_into_a_new_shared_one_and_opens_it(
        gui: Any, qtbot: Any, tmp_path: Path, pg_empty: str, cache_home: Path,
        library_path: Path) -> None:
    note = tmp_path / "note.txt"
    note.write_text("The trucks left the camp at night.\n", encoding="utf-8")
    facade(gui, lambda wb: wb.import_paths([note]))
    gui.acts["share_library"].trigger()  # File → Share this library…
    dialog = gui.shared_dialog
    assert dialog.isVisible() and dialog.create_button.text() == "&Share"
    assert dialog.name.text() == library_path.name  # the case keeps its name by default
    marker, store = tmp_path / "team", tmp_path / "share" / "originals"
    fill(qtbot, dialog, pg_empty, store, marker)
    click_create(qtbot, dialog)
    assert not dialog.isVisible(), dialog.error.text()
    assert gui.session.path == marker
    assert facade(gui, lambda wb: wb.library.shared) is True
    assert [d["title"] for d in facade(gui, lambda wb: wb.list_documents())] == [
        "The trucks left the camp at night."]
    qtbot.waitUntil(lambda: "the copy verified" in gui.statusBar().currentMessage())
    # walk: it read "1 dossiers"
    assert gui.statusBar().currentMessage().startswith(
        "Shared 1 document, 0 highlights and 0 dossiers;"), gui.statusBar().currentMessage()
    assert (library_path / "library.sqlite").exists()  # the personal library stays as it was


def test_share_this_library_that_fails_reopens_the_personal_library(
        gui: Any, qtbot: Any, tmp_path: Path, pg_empty: str, cache_home: Path,
        library_path: Path) -> None:
    from workbench import shared

    shared.create(tmp_path / "first", pg_empty, tmp_path / "originals", "First")
    gui.acts["share_library"].trigger()
    dialog = gui.shared_dialog
    fill(qtbot, dialog, pg_empty, tmp_path / "originals", tmp_path / "team")
    click_create(qtbot, dialog)
    assert "already holds" in dialog.error.text() and dialog.focusWidget() is dialog.url
    assert gui.session.path == library_path and gui.session.is_open


def test_a_shared_library_is_not_nagged_to_be_backed_up_from_the_desktop(
        gui: Any, qtbot: Any, tmp_path: Path, pg_empty: str, cache_home: Path) -> None:
    # Walk: "This library has never been backed up … Back up now" over a shared library,
    # which its server's keepers back up (pg_dump), not a desktop.
    from workbench import shared
    from workbench.services import Workbench

    marker = tmp_path / "team"
    shared.create(marker, pg_empty, tmp_path / "originals", "Team")
    note = tmp_path / "note.txt"
    note.write_text("The trucks left the camp at night.\n", encoding="utf-8")
    with Workbench.open(marker) as wb:
        wb.import_paths([note])
    gui.open_path(marker)
    assert gui.session.path == marker
    qtbot.wait(300)  # the reminder is decided after the library shows
    assert not gui.backups.reminder.isVisible(), gui.backups.reminder.label.text()
    # (a personal library with documents and no backup still is: tests/ui/test_backup_ui.py)
