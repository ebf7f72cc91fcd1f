"""Who did what (issue 19 part 3): the library's history newest first, in sentences, by author
and kind, paged; and the audit chain verified with progress and cancel."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text

from tests.conftest import CORPUS
from tests.support.libraries import writing_as
from workbench.errors import Cancelled, UserError
from workbench.progress import CancelToken, Progress

REPORT = CORPUS / "un-report-crimes-against-humanity.txt"


def _two_authors(wb: Any, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> dict[str, Any]:
    """Alice imports and highlights, Bob builds and exports a dossier; ``before``: the authors
    of what the library held already (a shared library's chain starts with its creation)."""
    before = wb.history_authors()
    with writing_as(wb, "alice", monkeypatch) as alice:
        report, _ = alice.import_paths([REPORT])
        doc = report.imported[0].document_id
        hid = alice.add_highlight(doc, quote="Michelle Bachelet finally released",
                                  note="call her office first").highlight_ids[0]
    with writing_as(wb, "bob", monkeypatch) as bob:
        d = bob.create_dossier("Submission").dossier_ids[0]
        bob.add_item(d, highlight=hid)
        bob.redact_term(d, "Bachelet", "her brother is detained", label="witness safety")
        bob.export(d, "html", tmp_path / "out.html")
    return {"doc": doc, "highlight": hid, "dossier": d, "before": before}


def test_history_says_who_did_what_newest_first_and_filters_by_author_and_kind(
        wb: Any, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    before = _two_authors(wb, monkeypatch, tmp_path)["before"]
    page = wb.history(limit=50)
    ids = [r.id for r in page.rows]
    assert ids == sorted(ids, reverse=True) and page.before is None
    assert {r.author for r in page.rows} == {"alice", "bob", *before}
    assert wb.history_authors() == sorted({"alice", "bob", *before})
    text_of = {r.kind: r.sentence for r in page.rows}
    assert text_of["import"].startswith("alice imported “UN Report")
    assert text_of["highlight"] == ("alice added highlight “Michelle Bachelet finally released” "
                                    "to “UN Report: “Serious Human Rights Violations” in "
                                    "Xinjiang May Constitute Crimes Against Humanity”")
    assert text_of["export"] == "bob exported dossier “Submission” (HTML)"
    everything = " ".join(r.sentence for r in page.rows)
    # private things are not in the history: a note's text, a redaction's reason
    assert "call her office" not in everything and "brother" not in everything
    assert "redaction (witness safety) to dossier “Submission”" in everything

    bobs = wb.history(author="bob").rows
    assert bobs and {r.author for r in bobs} == {"bob"}
    assert [r.kind for r in wb.history(kind="export").rows] == ["export"]
    assert {r.kind for r in wb.history(kind="dossier", author="bob").rows} == {"dossier"}
    assert wb.history(kind="dossier", author="alice").rows == []
    with pytest.raises(UserError, match="kind"):
        wb.history(kind="nonsense")


def test_history_pages_back_without_gaps_or_repeats(
        wb: Any, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    _two_authors(wb, monkeypatch, tmp_path)
    every = [r.id for r in wb.history(limit=1000).rows]
    seen: list[int] = []
    before = None
    while True:
        page = wb.history(limit=2, before=before)
        seen += [r.id for r in page.rows]
        if page.before is None:
            break
        before = page.before
    assert seen == every and len(every) >= 6


def test_the_chain_is_checked_with_progress_and_says_where_it_broke(
        wb: Any, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    before = _two_authors(wb, monkeypatch, tmp_path)["before"]
    reports: list[Progress] = []
    result = wb.verify_audit_chain(progress=reports.append)
    assert result.ok and result.events == len(wb.history(limit=1000).rows)
    assert reports and reports[-1].done == reports[-1].total == result.events
    assert "intact" in result.sentence
    assert result.authors == sorted({"alice", "bob", *before})

    with wb.library.store.engine.begin() as conn:  # someone edits an event behind our back
        conn.execute(text("UPDATE audit_events SET details = '{}' WHERE id = 3"))
    broken = wb.verify_audit_chain()
    assert not broken.ok and broken.first_broken == 3
    assert "broken at event 3" in broken.sentence

    token = CancelToken()
    token.cancel()
    with pytest.raises(Cancelled):
        wb.verify_audit_chain(cancel=token)


def test_the_history_and_audit_commands_filter_by_author_and_kind(
        wb: Any, library_path: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path,
        capsys: pytest.CaptureFixture[str]) -> None:
    import json

    from workbench.cli import main

    _two_authors(wb, monkeypatch, tmp_path)
    wb.close()
    capsys.readouterr()
    lib = ["--library", str(library_path)]
    assert main([*lib, "history", "--author", "bob", "--kind", "export"]) == 0
    out = capsys.readouterr().out
    assert "bob exported dossier “Submission” (HTML)" in out and "alice" not in out
    assert main([*lib, "--json", "history", "--limit", "2"]) == 0
    page = json.loads(capsys.readouterr().out)
    assert len(page["rows"]) == 2 and page["before"] == page["rows"][-1]["id"]
    assert main([*lib, "--json", "history", "--before", str(page["before"])]) == 0
    older = json.loads(capsys.readouterr().out)
    assert older["rows"][0]["id"] == page["before"] - 1 and older["before"] is None
    assert main([*lib, "--json", "audit", "--author", "alice", "--kind", "highlight"]) == 0
    events = json.loads(capsys.readouterr().out)
    assert [(e["author"], e["object_type"]) for e in events] == [("alice", "highlight")]
    assert main([*lib, "--json", "history", "--verify"]) == 0
    assert json.loads(capsys.readouterr().out)["chain"]["ok"] is True
    assert main([*lib, "history", "--kind", "nonsense"]) == 2
    assert "nonsense" in capsys.readouterr().err
