"""An independent reader of exports for redaction tests: is a term readable anywhere?

Deliberately separate from ``workbench.redact`` (a test that used the matcher to judge the
matcher could not fail): every output is read by other means — pdftotext (normal and
``-raw``), pypdf page text and metadata, raw bytes in several encodings, JSON strings,
unescaped and percent-decoded text, every zip member — and compared by a simple key that
drops case, compatibility forms, marks, invisible and elongation characters, whitespace and
word separators, and maps the common Cyrillic and Greek look-alikes back to Latin.
"""

from __future__ import annotations

import html
import io
import json
import shutil
import subprocess
import tempfile
import unicodedata
import zipfile
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import unquote_plus

LOOKALIKES = str.maketrans("еаорсхкуієЕАОРСХКВНМТαορικνυ", "eaopcxkyieeaopcxkbhmtaopikvu")
ENCODINGS = ("utf-8", "utf-16-le", "utf-16-be", "gb18030", "latin-1")


def key(text: str) -> str:
    text = unicodedata.normalize("NFKD", text.replace("%20", " "))
    kept = [c for c in text if unicodedata.category(c) not in ("Mn", "Me", "Cf", "Zs", "Zl",
                                                                 "Zp", "Cc")
            and c not in "\u0640-_.+\u2010\u2011\u00b7"]
    out = unicodedata.normalize("NFKC", "".join(kept)).casefold()
    return out.translate(LOOKALIKES).translate({0x6cc: 0x64a, 0x649: 0x64a, 0x6a9: 0x643})


def _pdf_texts(data: bytes) -> Iterator[tuple[str, str]]:
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(data))
    for i, page in enumerate(reader.pages, 1):
        yield f"pypdf page {i}", page.extract_text() or ""
    yield "pypdf metadata", " ".join(str(v) for v in (reader.metadata or {}).values())
    exe = shutil.which("pdftotext")
    if exe:
        with tempfile.NamedTemporaryFile(suffix=".pdf") as f:
            f.write(data)
            f.flush()
            for flags in ([], ["-raw"]):
                out = subprocess.run([exe, "-q", *flags, "-enc", "UTF-8", f.name, "-"],
                                     capture_output=True, check=False).stdout
                yield f"pdftotext {' '.join(flags)}", out.decode("utf-8", "replace")


def _json_strings(value: object) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for k, v in value.items():
            yield k
            yield from _json_strings(v)
    elif isinstance(value, list):
        for v in value:
            yield from _json_strings(v)


def texts_of(name: str, data: bytes, depth: int = 0) -> Iterator[tuple[str, str]]:
    """Every reading of one file, as (where, text)."""
    yield f"{name}: name", name
    if data.startswith(b"PK") and depth < 4:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            for info in zf.infolist():
                yield from texts_of(f"{name}/{info.filename}", zf.read(info), depth + 1)
    if data.startswith(b"%PDF"):
        for where, text in _pdf_texts(data):
            yield f"{name}: {where}", text
        yield f"{name}: bytes", data.decode("latin-1")
        return
    for enc in ENCODINGS:
        text = data.decode(enc, errors="ignore")
        yield f"{name}: as {enc}", text
        if enc == "utf-8":
            yield f"{name}: unescaped", html.unescape(text)
            yield f"{name}: unquoted", unquote_plus(text)
            if name.endswith((".json", ".jsonld")):
                try:
                    yield f"{name}: JSON", "\n".join(_json_strings(json.loads(text)))
                except ValueError:
                    pass


def readable_in(path: Path, term: str) -> list[str]:
    """Where ``term`` can be read in the export at ``path`` (a file or a bag folder)."""
    wanted = {key(term)}
    if any(unicodedata.bidirectional(c) in ("R", "AL") for c in term):
        wanted.add(key(term)[::-1])
    files = [p for p in sorted(path.rglob("*")) if p.is_file()] if path.is_dir() else [path]
    found = []
    for f in files:
        for where, text in texts_of(f.name, f.read_bytes()):
            k = key(text)
            if any(w and w in k for w in wanted):
                found.append(where)
    return found
