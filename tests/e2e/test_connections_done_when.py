"""Issue 18's "done when", through the command line on real files.

A library of the seed articles imported as PDF and as saved web pages (the web copy of one
lacks a paragraph, as an official copy edited after publication would), plus a Uyghur and a
Chinese note: each article's other copy is found and their difference shown; "Ekpar Asat" is
registered with his Uyghur and Chinese names and every mention found; he is redacted as a
person from a dossier and no spelling of any of his names is in any exported byte (the
project's own leak scanner reads the exports back); a chronology of the dated highlights is
exported.
"""

from __future__ import annotations

import csv
import json
import unicodedata
from pathlib import Path
from typing import Any

import pytest

from tests.support.files import make_html_capture, make_pdf, split_pages
from workbench.cli import main

CORPUS = Path(__file__).resolve().parents[1] / "fixtures" / "corpus"
ARTICLES = ("un-special-rapporteur-forced-labour.txt", "un-report-crimes-against-humanity.txt",
            "un-weighs-in-breach-of-human-rights-law.txt")
LATIN, UYGHUR, CHINESE = "Ekpar Asat", "ئەكبەر ئاسات", "艾克拜尔·阿沙特"
PLANTED = f"In March 2018 the witness {LATIN} was taken from his home in Aksu."
REMOVED = ("The special rapporteur asked the authorities to allow independent monitors "
           "into every facility named in this report without delay.")


class Cli:
    def __init__(self, library: Path, capsys: pytest.CaptureFixture[str]) -> None:
        self.library, self.capsys = library, capsys
        self.err = ""

    def __call__(self, *args: str, code: int = 0) -> Any:
        self.capsys.readouterr()
        rc = main(["--library", str(self.library), *args, "--json"])
        out, self.err = self.capsys.readouterr()
        assert rc == code, self.err
        return json.loads(out) if out.strip() else None


def _sources(folder: Path) -> dict[str, tuple[Path, Path]]:
    """Each article as a PDF and as a saved page; the first carries the planted sentence and
    a paragraph that its web copy no longer has."""
    folder.mkdir()
    made = {}
    for n, name in enumerate(ARTICLES):
        text = (CORPUS / name).read_text(encoding="utf-8")
        title, _, body = text.partition("\n\n")
        body = body[:6000].rsplit("\n\n", 1)[0]
        web_body = body
        if n == 0:
            body = f"{PLANTED}\n\n{body}\n\n{REMOVED}"
            web_body = f"{PLANTED}\n\n{web_body}"
        stem = Path(name).stem
        pdf = make_pdf(folder / f"{stem}.pdf", split_pages(f"{title}\n\n{body}"), title=title)
        html = make_html_capture(folder / f"{stem}.html", title, web_body,
                                 url=f"https://example.org/{stem}")
        made[stem] = (pdf, html)
    (folder / "uyghur-note.txt").write_text(
        f"گۇۋاھچى {UYGHUR} 2018-يىلى مارتتا ئۆيىدىن ئېلىپ كېتىلگەن.\n", encoding="utf-8")
    (folder / "chinese-note.txt").write_text(
        f"证人{CHINESE}于2018年3月在阿克苏家中被带走。\n", encoding="utf-8")
    return made


def _id(result: Any) -> int:
    for key in ("id", "entity_id", "event_id", "highlight_id"):
        if isinstance(result, dict) and key in result:
            return int(result[key])
    raise AssertionError(f"no id in {result}")


def test_copies_people_across_scripts_redaction_by_person_and_a_chronology(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    made = _sources(tmp_path / "src")
    cli = Cli(tmp_path / "lib", capsys)
    cli("init")
    cli("import", str(tmp_path / "src"))
    docs = {Path(cli("show", str(d["id"]))["original_filename"]).name: d["id"]
            for d in cli("list", "--limit", "100")}
    assert len(docs) == 8, docs

    # 1. each article's other copy, and what the web copy no longer says
    for stem, (pdf, html) in made.items():
        found = cli("copies", str(docs[pdf.name]))
        assert [c["document_id"] for c in found["copies"]] == [docs[html.name]], (stem, found)
        copy = found["copies"][0]
        assert copy["sha256"] and copy["similarity"] > 0.5 and copy["source_url"]
    first_pdf, first_html = made[Path(ARTICLES[0]).stem]
    diff = cli("compare", str(docs[first_pdf.name]), str(docs[first_html.name]))
    left = cli("show", str(docs[first_pdf.name]), "--text")["text"]
    gone = [c for c in diff["changes"] if c["kind"] in ("delete", "replace")]
    def flat(text: str) -> str:  # a PDF's text breaks its lines where the page did
        return " ".join(text.split())

    assert any(REMOVED in flat(left[c["left"][0]:c["left"][1]]) for c in gone), diff["changes"]
    assert not any(REMOVED in flat(c["right_text"]) for c in diff["changes"])

    # 2. one person, three scripts, every mention
    entity = _id(cli("entity", "add", LATIN, "--kind", "person", "--alias", UYGHUR,
                     "--alias", CHINESE))
    mentions = cli("entity", "mentions", str(entity))
    where = {m["document_id"] for m in mentions}
    assert {docs["uyghur-note.txt"], docs["chinese-note.txt"], docs[first_pdf.name],
            docs[first_html.name]} <= where, mentions
    names = {x["name"] for m in mentions for x in m["mentions"]}
    assert {LATIN, UYGHUR, CHINESE} <= names

    # 3. highlights, a dated event from one, a dossier with a chronology section
    quotes = {first_pdf.name: PLANTED, "uyghur-note.txt": UYGHUR, "chinese-note.txt": CHINESE}
    hl = {}
    for name, quote in quotes.items():
        hl[name] = _id(cli("highlight", "add", str(docs[name]), "--quote", quote))
    suggestion = cli("event", "suggest", str(hl[first_pdf.name]))
    month = [d for d in suggestion["dates"] if d["kind"] == "month"]
    assert month and month[0]["from"] == "2018-03-01" and month[0]["to"] == "2018-03-31"
    cli("event", "add", f"{LATIN} taken from his home in Aksu", "--date", month[0]["text"],
        "--highlight", str(hl[first_pdf.name]), "--highlight", str(hl["chinese-note.txt"]),
        "--status", "undisputed")
    cli("event", "add", "The OHCHR assessment is published", "--date", "31 August 2022")
    events = cli("event", "list")
    assert [e["date"]["from"] for e in events] == ["2018-03-01", "2022-08-31"]
    out = tmp_path / "out"
    out.mkdir()
    cli("event", "export", "--format", "csv", "--out", str(out / "chronology.csv"))
    with (out / "chronology.csv").open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    assert len(rows) == 2 and "Aksu" in json.dumps(rows, ensure_ascii=False)
    assert first_pdf.name.removesuffix(".pdf")[:10] in json.dumps(rows) or any(
        "sha" in k.lower() for k in rows[0])
    cli("event", "export", "--format", "docx", "--out", str(out / "chronology.docx"))
    assert (out / "chronology.docx").stat().st_size > 0

    dossier = _id(cli("dossier", "create", "Detention of a witness"))
    for h in hl.values():
        cli("dossier", "add", str(dossier), "--highlight", str(h))
    cli("dossier", "add", str(dossier), "--chronology")
    redacted = cli("dossier", "redact", str(dossier), "--entity", str(entity),
                   "--reason", "witness safety", "--label", "witness")
    assert redacted.get("warnings", []) == []

    # 4. every export, read back by the project's own scanner: no spelling of any name
    exports = []
    for fmt, name in (("pdf", "d.pdf"), ("docx", "d.docx"), ("html", "d.html"),
                      ("bundle", "bag.zip")):
        exports.append(cli("dossier", "export", str(dossier), "--format", fmt, "-o",
                           str(out / name))["path"])
    html = unicodedata.normalize("NFKC", (out / "d.html").read_text(encoding="utf-8"))
    assert "[REDACTED: witness]" in html and "Aksu" in html  # the chronology is there
    for name in (LATIN, UYGHUR, CHINESE, "Ekpar", "阿沙特"):
        assert name not in html
    scan = cli("leakscan", *exports, "--term", LATIN, "--term", UYGHUR, "--term", CHINESE)
    assert scan["findings"] == [] and not scan.get("unreadable"), scan
