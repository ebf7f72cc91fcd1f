"""``dossier redact --label``: the printed label and the private reason, end to end through
``cli.main --json`` (issue 14, bug 3)."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import pytest

from tests.core.test_dossier_fixtures import corpus_library
from tests.e2e.test_dossier_cli import Cli
from workbench.redact.matcher import matcher_for
from workbench.redact.scan import scan_paths

REASON = "his mother is still detained in Kashgar"


def test_label_is_printed_and_reason_kept_private(tmp_path: Path,
                                                  tmp_path_factory: pytest.TempPathFactory,
                                                  capsys: pytest.CaptureFixture[str]) -> None:
    lib = corpus_library(tmp_path / "lib", tmp_path_factory.getbasetemp())
    cli = Cli(lib, capsys)
    d = cli("dossier", "create", "Labels")["id"]
    item = cli("dossier", "add", str(d), "--note",
               "Tomoya Obokata, a rapporteur, met Ilham Tohti’s students.")["item"]

    plain = cli("dossier", "redact", str(d), "--term", "Tomoya Obokata", "--reason", REASON)
    assert (plain["label"], plain["mark"]) == ("REDACTED", "[REDACTED]")
    named = cli("dossier", "redact", str(d), "--item", str(item), "--quote", "Ilham Tohti",
                "--reason", REASON, "--label", "witness safety")
    assert (named["label"], named["mark"]) == ("witness safety", "[REDACTED: witness safety]")
    # A label that would print a redacted text, and one too long to be a category.
    cli("dossier", "redact", str(d), "--term", "rapporteur", "--reason", "r",
        "--label", "not Tomoya Obokata", code=2)
    assert "label may not contain a redacted text" in cli.err
    cli("dossier", "redact", str(d), "--term", "rapporteur", "--reason", "r",
        "--label", "a label that explains far more than a category should", code=2)
    assert "at most 40 characters" in cli.err

    shown = cli("dossier", "show", str(d))
    assert [(r["label"], r["reason"]) for r in shown["redactions"]] == [
        ("REDACTED", REASON), ("witness safety", REASON)]
    capsys.readouterr()
    from workbench.cli import main

    assert main(["--library", str(lib), "dossier", "show", str(d)]) == 0
    text = capsys.readouterr().out
    assert "printed [REDACTED: witness safety]; reason (private): " + REASON in text

    out = tmp_path / "out"
    out.mkdir()
    for fmt, name in (("html", "d.html"), ("docx", "d.docx"), ("pdf", "d.pdf"),
                      ("bundle", "bag.zip")):
        cli("dossier", "export", str(d), "--format", fmt, "-o", str(out / name))
    report = scan_paths([out], matcher_for((REASON,)))
    assert report.findings == [] and not report.unreadable
    html = re.sub(r"<[^>]+>", "", (out / "d.html").read_text(encoding="utf-8"))
    assert "[REDACTED], a rapporteur, met [REDACTED: witness safety]’s students." in html
    with zipfile.ZipFile(out / "bag.zip") as zf:
        events = next(n for n in zf.namelist() if n.endswith("audit-events.json"))
        assert b'"label": "witness safety"' in zf.read(events)
