"""Web archives: WARC (plain or gzip) and WACZ (a zip of WARCs), read with warcio.

Every HTML response (or HTML resource record) becomes a web-capture child document of kind
``html``; its collection record holds the target URL, the WARC-Date as capture time and the
HTTP status. Other records (requests, metadata, images, scripts, revisits) are skipped and
counted in a note on the archive, which is a container. A truncated record is reported by URL
and skipped; an archive that breaks off in the middle keeps every record read before the break.
"""

from __future__ import annotations

import re
import zipfile
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any
from urllib.parse import urlsplit

from ..errors import ExtractionError
from .base import UNREADABLE, Child, Extraction, ExtractOptions
from .eml import safe_filename
from .formats import is_warc

HTML_TYPES = ("text/html", "application/xhtml+xml")
MAX_CAPTURES = 100_000
MAX_RECORD = 64 << 20  # bytes of one capture's body


def capture_filename(url: str, n: int) -> str:
    parts = urlsplit(url or "")
    stem = (parts.netloc + parts.path).strip("/") or "capture"
    stem = re.sub(r"[^\w.-]+", "_", stem)[:120]
    return safe_filename(f"{stem}.html" if not stem.endswith((".html", ".htm")) else stem,
                         f"capture-{n}.html")


def _is_html(record: Any, head: bytes) -> bool:
    if record.http_headers is not None:
        ctype = (record.http_headers.get_header("Content-Type") or "").lower()
    else:
        ctype = (record.rec_headers.get_header("Content-Type") or "").lower()
    if any(ctype.startswith(t) for t in HTML_TYPES):
        return True
    start = head.lstrip()[:20].lower()
    return not ctype and start.startswith((b"<!doctype html", b"<html"))


class _Reader:
    """Walks one WARC stream, writing HTML captures and noting everything else."""

    def __init__(self, folder: Path, label: str) -> None:
        self.folder = folder
        self.label = label
        self.children: list[Child] = []
        self.skipped: Counter[str] = Counter()
        self.problems: list[str] = []

    def read(self, stream: IO[bytes], size: int | None) -> None:
        from warcio.archiveiterator import ArchiveIterator
        from warcio.exceptions import ArchiveLoadFailed

        head = stream.peek(256)[:256] if hasattr(stream, "peek") else b""
        if head and not (is_warc(head) or head.startswith(b"filedesc://")):
            # warcio reads almost any bytes as records; name a file that is not an archive.
            self.problems.append(f"{self.label}: not a WARC file (no WARC header)")
            return
        iterator = ArchiveIterator(stream, arc2warc=True)
        count = 0
        try:
            for record in iterator:
                count += 1
                self._record(record, count)
        except (ArchiveLoadFailed, ValueError, OSError, EOFError) as exc:
            self.problems.append(f"{self.label}: the archive is damaged after record {count} "
                                 f"({type(exc).__name__}); the records before it were read")
            return
        end = getattr(iterator, "offset", None)
        if size is not None and isinstance(end, int) and end < size:
            self.problems.append(f"{self.label}: the archive breaks off after record {count} "
                                 f"(byte {end} of {size}); a truncated record was skipped")

    def _record(self, record: Any, n: int) -> None:
        rtype = record.rec_type or "unknown"
        url = record.rec_headers.get_header("WARC-Target-URI") or ""
        if rtype == "warcinfo":
            return  # describes the archive itself, not a captured item
        if record.rec_type is None:
            self.problems.append(f"{self.label}: record {n} is damaged or truncated; skipped")
            return
        if rtype not in ("response", "resource"):
            self.skipped[rtype] += 1
            return
        # Bounded read: one huge record must not take the worker over its memory limit.
        body = record.content_stream().read(MAX_RECORD + 1)
        while record.raw_stream.read(1 << 16):  # drain, so a short record shows its shortfall
            pass
        if len(body) > MAX_RECORD:
            self.problems.append(f"{self.label}: record {n} ({url}) is larger than "
                                 f"{MAX_RECORD >> 20} MB; skipped")
            return
        if getattr(record.raw_stream, "limit", 0) > 0:
            self.problems.append(f"{self.label}: record {n} ({url}) is truncated: "
                                 f"{record.raw_stream.limit} bytes missing; skipped")
            return
        if not _is_html(record, body[:512]):
            ctype = record.http_headers.get_header("Content-Type") if record.http_headers \
                else record.rec_headers.get_header("Content-Type")
            self.skipped[f"{rtype} {(ctype or 'unknown').split(';')[0].strip()}"] += 1
            return
        if not body.strip():
            self.skipped[f"{rtype} with an empty body"] += 1
            return
        if len(self.children) >= MAX_CAPTURES:
            self.skipped["captures over the limit"] += 1
            return
        self._write(record, body, url, n)

    def _write(self, record: Any, body: bytes, url: str, n: int) -> None:
        name = capture_filename(url, n)
        target = self.folder / f"{len(self.children) + 1:06d}-{name}"
        target.write_bytes(body)
        collection: dict[str, Any] = {
            "source_url": url or None,
            "captured_at": record.rec_headers.get_header("WARC-Date"),
            "warc_record_id": record.rec_headers.get_header("WARC-Record-ID"),
            "warc_file": self.label,
        }
        if record.http_headers is not None:
            status = record.http_headers.get_statuscode()
            collection["http_status"] = int(status) if str(status).isdigit() else None
        metadata: dict[str, Any] = {"kind": "html"}
        truncated = record.rec_headers.get_header("WARC-Truncated")
        if truncated:
            metadata["warc_truncated"] = truncated
            self.problems.append(f"{self.label}: record {n} ({url}) was truncated by the "
                                 f"crawler ({truncated}); imported as captured")
        self.children.append(Child(str(target), name, metadata, collection))

    def note(self) -> list[str]:
        if not self.skipped:
            return []
        parts = ", ".join(f"{count} {kind}" for kind, count in sorted(self.skipped.items()))
        return [f"skipped records that are not HTML captures: {parts}"]


def _extraction(name: str, reader: _Reader, meta: dict[str, Any]) -> Extraction:
    toc = [f"{c.collection.get('captured_at') or '?'}  {c.collection.get('http_status') or ''}  "
           f"{c.collection.get('source_url') or c.filename}" for c in reader.children[:5000]]
    meta["captures"] = len(reader.children)
    meta["skipped_records"] = dict(reader.skipped)
    return Extraction(pages=["\n".join(toc)], extractor=name, extractor_version=_version(),
                      metadata=meta, problems=reader.problems + reader.note(),
                      children=reader.children, container=True)


def _version() -> str:
    from importlib.metadata import version

    return f"1+warcio-{version('warcio')}"


def _folder(options: ExtractOptions) -> Path:
    if not options.children_dir:
        raise ExtractionError(UNREADABLE, "no folder to unpack the archive into")
    folder = Path(options.children_dir)
    folder.mkdir(parents=True, exist_ok=True)
    return folder


class WarcExtractor:
    name = "warc"
    version = "1"

    def extract(self, path: Path, options: ExtractOptions) -> Extraction:
        reader = _Reader(_folder(options), "WARC")
        with open(path, "rb") as fh:
            reader.read(fh, path.stat().st_size)
        if not reader.children and reader.problems and not reader.skipped:
            raise ExtractionError(UNREADABLE, "not a readable web archive: " + reader.problems[0])
        return _extraction(self.name, reader, {})


class WaczExtractor:
    name = "wacz"
    version = "1"

    def extract(self, path: Path, options: ExtractOptions) -> Extraction:
        folder = _folder(options)
        meta: dict[str, Any] = {}
        reader = _Reader(folder, "WACZ")
        with _zip(path) as zf:
            members, bad = archive_members(zf)
            if not members:
                raise ExtractionError(UNREADABLE, "not a readable WACZ (no archive/*.warc files)"
                                      + (f"; {bad[0]}" if bad else ""))
            meta.update(_package(zf))
            reader.problems.extend(bad)
            for info in members:
                reader.label = info.filename
                with zf.open(info) as stream:
                    reader.read(stream, info.file_size)
        return _extraction(self.name, reader, meta)


def archive_members(zf: zipfile.ZipFile) -> tuple[list[zipfile.ZipInfo], list[str]]:
    """The package's WARC files (``archive/*.warc[.gz]``), each read once, and a problem for
    each member skipped: a name that climbs out of the package (``..``, an absolute path, a
    drive), which no WACZ writer makes and which named an archive twice, or a name that
    appears twice."""
    members: list[zipfile.ZipInfo] = []
    bad: list[str] = []
    seen: set[str] = set()
    for info in zf.infolist():
        name = info.filename
        if not name.lower().endswith((".warc", ".warc.gz")):
            continue
        parts = name.replace("\\", "/").split("/")
        if name.startswith(("/", "\\")) or ".." in parts or ":" in parts[0]:
            bad.append(f"member {name!r} has a name outside the package; skipped")
        elif not name.startswith("archive/"):
            continue
        elif name in seen:
            bad.append(f"member {name!r} is in the package twice; read once")
        else:
            seen.add(name)
            members.append(info)
    return members, bad


@contextmanager
def _zip(path: Path) -> Iterator[zipfile.ZipFile]:
    try:
        zf = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError) as exc:
        raise ExtractionError(UNREADABLE, f"not a readable WACZ ({exc})") from exc
    with zf:
        yield zf


def _package(zf: zipfile.ZipFile) -> dict[str, Any]:
    import json

    try:
        data = json.loads(zf.read("datapackage.json"))
    except (KeyError, ValueError, zipfile.BadZipFile):
        return {}
    meta: dict[str, Any] = {}
    if isinstance(data, dict):
        if isinstance(data.get("title"), str):
            meta["title"] = data["title"]
        if isinstance(data.get("created"), str):
            meta["created"] = data["created"]
    return meta
