"""The post-write leak check: read the export back the way a recipient could, find redacted text.

A thin layer over ``workbench.redact.scan`` — the very scanner ``workbench leakscan`` runs —
so the exporter and the leak scanner cannot disagree about what can be read. The scanner reads
every way ``workbench.redact.decode`` knows (a PDF by PDFium and poppler page by page, every
pypdf object, every stream and string; a DOCX or a bundle member by member; HTML and JSON in
every encoding, with entities, percent-encoding, escapes and markup decoded) and searches each
reading with the same matcher the redaction used; ``leak_ocr`` adds OCR of every image the
export shows (rasterised facsimile pages, a photograph on a source page, a DOCX's page
images). A finding raises ``RedactionLeak`` naming
the place and the form found, with the command that redacts that form; a part that cannot be
read raises ``ExportError``. The caller deletes the file either way.

``Needles``, ``check_bytes``, ``check_html_text`` and ``check_pdf`` are the older entry
points, kept as wrappers over the same scanner until their last callers move to ``scan``.
"""

from __future__ import annotations

import json
import re
import shlex
from collections.abc import Callable, Iterable
from pathlib import Path

from ..dossier.redaction import DEFAULT_LABEL, Rule, matcher_of
from ..errors import ExportError, RedactionLeak
from ..redact.decode_pdf import Background
from ..redact.matcher import Matcher, describe_form
from ..redact.scan import Finding, ScanReport, scan_bytes, scan_paths
from .leak_ocr import merge, read_images

_WHAT = {"pdf": "the PDF", "docx": "the DOCX", "html": "the HTML file"}
# The private reason the hint's command proposes: true of every form it suggests.
FORM_REASON = "another spelling of a redacted text"


def check_file(path: Path, rules: list[Rule], fmt: str, *,
               dossier: int | str | None = None, facsimiles: bool = False) -> list[str]:
    """Scan the written export; raise ``RedactionLeak`` on a finding and ``ExportError`` on a
    part that cannot be read. Returns the names of the checks done. ``facsimiles``: the
    dossier shows pages as their originals (the hint then offers an area rule too)."""
    matcher = matcher_of(rules)
    if not matcher:
        return []
    # What page images show, by OCR: Tesseract's processes run while the scanner reads.
    ocr = Background(lambda: read_images(path, matcher))
    report = scan_paths([path], matcher)
    merge(ocr.result(), report)

    def where(finding_path: str) -> str:
        if fmt != "bundle":
            return _WHAT.get(fmt, "the export")
        if path.is_dir():
            try:
                return f"bundle file {Path(finding_path).relative_to(path).as_posix()}"
            except ValueError:
                return f"bundle file {Path(finding_path).name}"
        return "the bundle"

    raise_for(report, rules, matcher, where, dossier, facsimiles)
    checks = sorted(report.checks)
    return [*checks, "every bundle file"] if fmt == "bundle" else checks


def raise_for(report: ScanReport, rules: list[Rule], matcher: Matcher,
              where: Callable[[str], str], dossier: int | str | None = None,
              facsimiles: bool = False) -> None:
    """``RedactionLeak`` for the report's most telling finding, else ``ExportError`` for its
    first unreadable part; nothing when the report is clean."""
    if report.findings:
        finding = min(report.findings, key=_rank)
        others = len(report.findings) - 1
        more = f", and in {others} other place{'s' * (others > 1)}" if others else ""
        label = _label(rules, matcher.terms[finding.term])
        raise RedactionLeak(
            f"Redacted text (redaction {label!r}) can still be read in "
            f"{where(finding.path)}: {finding.place}, as "
            f"{json.dumps(finding.found, ensure_ascii=False)} ({finding.form}){more}; "
            "the export was deleted",
            _hint(finding, matcher.terms[finding.term], label, dossier, facsimiles))
    if report.unreadable:
        path, place, why = report.unreadable[0]
        raise ExportError(
            f"The export could not be fully read back to check it for redacted text "
            f"({where(path)}: {place}: {why}); the export was deleted",
            "what cannot be read cannot be shown to be free of redacted text: leave out the "
            "item it comes from, or choose another format")


def _rank(finding: Finding) -> int:
    """Page text first (what a reader sees), then PDF objects, then everything else."""
    if "text (PDFium)" in finding.place or "text (pdftotext)" in finding.place:
        return 0
    return 1 if "PDF objects" in finding.place else 2


def _label(rules: Iterable[Rule], term: str) -> str:
    """The printed label of the redaction of ``term`` (rules carry no reason: it is private)."""
    return next((r.label for r in rules if r.text == term), DEFAULT_LABEL)


def _hint(finding: Finding, term: str, label: str, dossier: int | str | None,
          facsimiles: bool = False) -> str:
    if describe_form(finding.found, term) in ("exactly as redacted", "in other letter case"):
        return ("the dossier's own text is redacted, so this copy comes from elsewhere — a "
                "document's title, author or file name, or an original's metadata: edit it "
                "there, or leave out the item that carries it")
    form = " ".join(re.sub(r"(\w)[-\u2010\u2011\u00ad]\s+(\w)", r"\1-\2", finding.found).split())
    printed = "" if label == DEFAULT_LABEL else f" --label {_quote(label)}"
    target = dossier or "<DOSSIER>"
    hint = (f"redact that form too: workbench dossier redact {target} "
            f"--term {_quote(form)}{printed} --reason {_quote(FORM_REASON)}")
    if facsimiles and re.match(r"page \d+ text \(", finding.place):
        # A term rule boxes what PDFium reads on a facsimile page; a form only another
        # reading shows (harakat in a laid-out capture) is hidden only by an area.
        hint += ("; if it is on a page shown as its original, draw an area over it instead "
                 "(page viewer: Tools ▾ → Redact area…, or workbench dossier redact "
                 f"{target} --area DOC:PAGE:x0,y0,x1,y1{printed} --reason …)")
    return hint


def _quote(text: str) -> str:
    return f'"{text}"' if not re.search(r"[\"$`\\!]", text) else shlex.quote(text)


# --- the older entry points --------------------------------------------------------------------


class Needles:
    """Deprecated: the rules' matcher behind the old interface (``find`` gives a label)."""

    def __init__(self, rules: Iterable[Rule]) -> None:
        self.rules = list(rules)
        self.matcher = matcher_of(self.rules)

    def __bool__(self) -> bool:
        return bool(self.matcher)

    def find(self, text: str) -> str | None:
        """The printed label of a redaction whose text can be read in ``text``, else None."""
        hit = self.matcher.find_in_readings(text)
        return None if hit is None else _label(self.rules, self.matcher.terms[hit[1].term])


def check_bytes(name: str, data: bytes, needles: Needles, where: str,
                path: Path | None = None) -> list[str]:
    """One file of any kind, by its name and content; raises like ``check_file``."""
    if not needles:
        return []
    report = scan_bytes(name, data, needles.matcher, path=str(path) if path else name)
    raise_for(report, needles.rules, needles.matcher, lambda _p: where)
    return sorted(report.checks)


def check_pdf(path: Path, needles: Needles, where: str | None = None) -> list[str]:
    return check_bytes(path.name, path.read_bytes(), needles, where or path.name, path)


def check_html_text(text: str, needles: Needles, where: str) -> list[str]:
    """A text as markup and as what it shows (entities, percent-encoding, tags)."""
    hit = needles.matcher.find_in_readings(text)
    if hit is not None:
        decoding, found = hit
        term = needles.matcher.terms[found.term]
        finding = Finding(where, "text" if decoding == "text" else decoding, found.term,
                          describe_form(found.found, term), found.found)
        report = ScanReport(findings=[finding])
        raise_for(report, needles.rules, needles.matcher, lambda _p: where)
    return ["html markup", "html text"]
