"""The leak scanner: every reading of a file, a folder or a zip, searched with the matcher.

``scan_bytes`` and ``scan_paths`` put ``decode`` (every way a recipient could read the bytes)
and ``matcher`` (every spelling a reader would still recognise) together. The export's leak
check and ``workbench leakscan`` both call them, so they cannot disagree.

A ``Finding`` keeps the text as found (``found``) for the exporter's own error message, which
the library's owner may see; everything else in a report — paths, places, forms, reasons — is
safe to print or share: a term inside a path or a place (a zip member called after a witness)
is replaced by ``[term N]``.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from .decode import MAX_TOTAL, Reading, Unreadable, read_bytes
from .matcher import Hit, Matcher, describe_form, matcher_for


@dataclass(frozen=True)
class Finding:
    """A term read somewhere: the file, the place in it, the term's index in the matcher's
    terms (0-based), how the text found differs from the term, and the text found (never
    printed by ``leakscan``)."""

    path: str
    place: str
    term: int
    form: str
    found: str


@dataclass
class ScanReport:
    """Findings, the parts that could not be read ``(path, place, reason)``, how many files
    and readings were searched, and which kinds of reading were done (``checks``)."""

    findings: list[Finding] = field(default_factory=list)
    unreadable: list[tuple[str, str, str]] = field(default_factory=list)
    files: int = 0
    readings: int = 0
    checks: set[str] = field(default_factory=set)

    @property
    def clean(self) -> bool:
        """Nothing found, and everything read: only then is the file shown to be clean."""
        return not self.findings and not self.unreadable

    def add(self, other: ScanReport) -> None:
        self.findings += other.findings
        self.unreadable += other.unreadable
        self.files += other.files
        self.readings += other.readings
        self.checks |= other.checks


_CHECKS = (("(PDFium)", "pdfium text"), ("(pdftotext)", "pdftotext text"),
           ("PDF objects", "pypdf objects"), ("PDF stream", "raw streams"),
           ("PDF bytes", "raw streams"), ("PDF strings", "pdf strings"),
           ("zip member", "zip members"), ("tar member", "tar members"),
           ("MIME part", "MIME parts"), ("headers (decoded)", "mail headers"),
           ("WARC", "WARC records"), ("contents", "decompressed data"),
           ("data URI", "data URIs"), ("file name", "file names"), ("bytes as", "file bytes"))


def checks_of(place: str) -> set[str]:
    """The kinds of reading a place names, for the list of checks an export reports."""
    return {name for marker, name in _CHECKS if marker in place} or {"other readings"}


def scan_bytes(name: str, data: bytes, matcher: Matcher, *, path: str | None = None,
               first_only: bool = False) -> ScanReport:
    """Every reading of one file (``name`` is its name, ``path`` how to report it)."""
    report = ScanReport(files=1)
    where = mask(path if path is not None else name, matcher)
    items = read_bytes(name, data)
    seen: set[tuple[str, str, int]] = set()
    try:
        for item in items:
            if isinstance(item, Unreadable):
                report.unreadable.append((where, mask(item.place, matcher),
                                          mask(item.reason, matcher)))
                continue
            report.readings += 1
            report.checks |= checks_of(item.place)
            for finding in _search(item, matcher, where, all_terms=not first_only):
                key = (*_same_text(item.place), finding.term)
                if key in seen:
                    continue
                seen.add(key)
                report.findings.append(finding)
                if first_only:
                    return report
    finally:
        items.close()  # stops a PDF's extractors when the scan ends early
    return report


def _same_text(place: str) -> tuple[str, str]:
    """Places that read the same bytes: a file name with or without separators, and one
    part's bytes in every encoding, so that a term found in each is one finding."""
    container, _, last = place.rpartition(": ")
    if last.startswith(("bytes as", "name bytes as")):
        return container, "bytes"
    return container, "name" if last.startswith("file name") else last


def _search(reading: Reading, matcher: Matcher, where: str, *,
            all_terms: bool) -> Iterator[Finding]:
    hit = _find(matcher, reading)
    if hit is None:
        return
    yield _finding(matcher, reading, where, *hit)
    if all_terms and len(matcher.terms) > 1:
        for i, term in enumerate(matcher.terms):
            if i != hit[1].term:
                other = _find(matcher_for((term,)), reading)
                if other is not None:
                    yield _finding(matcher, reading, where, other[0], Hit(
                        i, other[1].start, other[1].end, other[1].found))


def _find(matcher: Matcher, reading: Reading) -> tuple[str, Hit] | None:
    if reading.markup:
        return matcher.find_in_readings(reading.text)
    hit = matcher.find(reading.text)
    return None if hit is None else ("text", hit)


def _finding(matcher: Matcher, reading: Reading, where: str, decoding: str,
             hit: Hit) -> Finding:
    place = reading.place if decoding == "text" else f"{reading.place}, {decoding}"
    return Finding(where, mask(place, matcher), hit.term,
                   describe_form(hit.found, matcher.terms[hit.term]), hit.found)


def mask(text: str, matcher: Matcher) -> str:
    """``text`` with every term in it replaced by ``[term N]`` (1-based), so that a report
    naming a file or a zip member called after a witness does not repeat the name."""
    spans = matcher.spans(text)
    for start, end, term in reversed(spans):
        text = f"{text[:start]}[term {term + 1}]{text[end:]}"
    if matcher.find_in_readings(text) is not None:  # an encoded form: hide the whole text
        return "[hidden: it contains a term in an encoded form]"
    return text


def scan_paths(paths: Iterable[Path], matcher: Matcher, *,
               first_only: bool = False) -> ScanReport:
    """Files and folders (recursively, names inside the folder included); a zip is a
    container like any other. Symbolic links to folders are not followed."""
    report = ScanReport()
    for file, name in files_under(paths):
        report.add(scan_file(file, name, matcher, first_only))
        if first_only and report.findings:
            return report
    return report


def files_under(paths: Iterable[Path]) -> Iterator[tuple[Path, str]]:
    """Each file (and empty folder) under ``paths`` once, with the name it is read under —
    a file given on its own and also inside a given folder is scanned once."""
    seen: set[Path] = set()
    for root in paths:
        for file, name in _files(Path(root)):
            key = file.resolve()
            if key not in seen:
                seen.add(key)
                yield file, name


def _files(root: Path) -> Iterator[tuple[Path, str]]:
    if not root.is_dir():
        yield root, root.name
        return
    for folder, dirs, files in os.walk(root):  # does not descend into linked folders
        dirs.sort()
        base = Path(folder)
        if not dirs and not files and base != root:
            yield base, base.relative_to(root).as_posix() + "/"  # an empty folder's name
        for f in sorted(files):
            yield base / f, (base / f).relative_to(root).as_posix()


def scan_file(file: Path, name: str, matcher: Matcher,
              first_only: bool = False) -> ScanReport:
    """One file read as ``name``; too large or unopenable files are unreadable parts."""
    try:
        size = file.stat().st_size
        if size > MAX_TOTAL:
            report = ScanReport(files=1)
            report.unreadable.append((mask(str(file), matcher), "file", "too large to check"))
            return report
        data = b"" if file.is_dir() else file.read_bytes()
    except OSError as exc:
        report = ScanReport(files=1)
        report.unreadable.append((mask(str(file), matcher), "file",
                                  f"it cannot be opened ({exc.strerror or exc})"))
        return report
    return scan_bytes(name, data, matcher, path=str(file), first_only=first_only)
