"""Reading bytes every way a recipient could: the decodings a leak check must try.

``read_bytes(name, data)`` yields ``Reading``\\ s (a text and where it was read: "bytes as
GB18030", "zip member word/document.xml: bytes as UTF-8", "page 3 text (PDFium)") and
``Unreadable`` parts (an encrypted PDF, a zip bomb, an unknown compression): what could not
be read cannot be called clean. This module owns the dispatch by kind of file, the limits
against hostile input and the text decodings; containers live in ``decode_archive``
(zip, tar, gzip, bz2, xz, WARC), e-mail in ``decode_mail`` and PDF in ``decode_pdf``.

- The file name itself, also with ``-_.+`` read as spaces.
- Text-like files and unknown binaries: the bytes in every common encoding (UTF-8,
  UTF-16 LE/BE at both byte alignments, UTF-32, GB18030, Big5, Shift-JIS, EUC-KR,
  windows-1250..1258, KOI8-R, ISO-8859-6, latin-1), a declared charset, charset_normalizer's
  guess; JavaScript/JSON escapes decoded; ``data:`` URIs decoded and read recursively; RTF
  escapes. Entities, percent-encoding and markup are the matcher's ``readings``. Bytes that
  are valid UTF-8 are not read in the legacy multi-byte and windows encodings (see
  ``_FOR_UTF8``): that keeps the check of an export, which is UTF-8 throughout, fast.
- Images, audio, video and fonts: UTF-8, latin-1 and UTF-16 (their metadata), PNG text chunks;
  the pixels and sound themselves are ``Unreadable`` (a photo may show a name).

Limits: containers nest at most ``MAX_DEPTH`` deep, and at most ``MAX_TOTAL`` bytes are
decompressed per top-level file; beyond either, the part is ``Unreadable``.
"""

from __future__ import annotations

import base64
import codecs
import re
import zlib
from collections.abc import Generator, Iterator
from dataclasses import dataclass, replace
from urllib.parse import unquote_to_bytes

MAX_DEPTH = 6
MAX_TOTAL = 512 * 2**20
CHUNK = 8 * 2**20  # bytes decoded at once; longer data is read in overlapping pieces
OVERLAP = 64 * 1024
# A part that inflates more than RATIO times and beyond RATIO_MIN bytes is a bomb.
RATIO = 100
RATIO_MIN = 64 * 2**20


@dataclass(frozen=True)
class Reading:
    """A text a recipient could read, and where: ``markup`` is False for text no reader
    decodes further (PDF page text and raw PDF bytes), so entity, percent and markup
    readings are not tried on it."""

    place: str
    text: str
    markup: bool = True


@dataclass(frozen=True)
class Unreadable:
    """A part that could not be fully decoded, so it cannot be shown to be clean."""

    place: str
    reason: str


Item = Reading | Unreadable

_WIDE = ("utf-16-le", "utf-16-be", "utf-32-le", "utf-32-be")
CODECS: list[tuple[str, str]] = [
    ("UTF-8", "utf-8"), ("UTF-16 LE", "utf-16-le"), ("UTF-16 BE", "utf-16-be"),
    ("UTF-32 LE", "utf-32-le"), ("UTF-32 BE", "utf-32-be"), ("GB18030", "gb18030"),
    ("Big5", "big5hkscs"), ("Shift-JIS", "cp932"), ("EUC-KR", "cp949"),
    *((f"windows-{n}", f"cp{n}") for n in range(1250, 1259)),
    ("KOI8-R", "koi8_r"), ("ISO-8859-6", "iso8859_6"), ("latin-1", "latin-1"),
]
# Text in a legacy encoding is never valid UTF-8 once it has a letter outside ASCII (the
# bytes of such letters do not form UTF-8 sequences by accident), so valid UTF-8 is read as
# UTF-8, as latin-1 (byte for byte) and as the wide encodings, not in every legacy one.
_FOR_UTF8 = {"utf-8", *_WIDE, "latin-1"}
MEDIA_CODECS = [("UTF-8", "utf-8"), ("latin-1", "latin-1"), ("UTF-16 LE", "utf-16-le"),
                ("UTF-16 BE", "utf-16-be")]

_DECLARED = re.compile(rb"""(?:charset|encoding)\s*=\s*["']?([A-Za-z0-9_.:-]{2,40})""", re.I)
_ESCAPE = re.compile(r"\\u\{([0-9a-fA-F]{1,6})\}|\\u([0-9a-fA-F]{4})|\\x([0-9a-fA-F]{2})")
_DATA_URI = re.compile(r"data:([\w.+/-]*)((?:;[\w.+=-]*)*?);base64,([A-Za-z0-9+/=\s%]+)", re.I)
_SEPARATORS = re.compile(r"[-_.+]+")

_IMAGE_MAGIC = (b"\x89PNG", b"\xff\xd8\xff", b"GIF8", b"II*\x00", b"MM\x00*")
_SOUND_MAGIC = (b"ID3", b"OggS", b"fLaC", b"\x1a\x45\xdf\xa3")
_FONT_MAGIC = (b"wOFF", b"wOF2", b"OTTO", b"\x00\x01\x00\x00\x00", b"true")
_UNSUPPORTED = {b"7z\xbc\xaf\x27\x1c": "7z", b"Rar!\x1a\x07": "RAR", b"\x28\xb5\x2f\xfd": "zstd",
                b"MSCF": "CAB", b"\x04\x22\x4d\x18": "LZ4"}


class Context:
    """The budget of one top-level file: how many more bytes may be decompressed."""

    def __init__(self, limit: int = MAX_TOTAL) -> None:
        self.left = limit

    def take(self, n: int) -> bool:
        """Spend ``n`` decompressed bytes; False once the budget is overdrawn."""
        self.left -= n
        return self.left >= 0

    def nested(self, prefix: str, name: str, data: bytes, depth: int,
               charset: str | None = None, *, named: bool = True) -> Iterator[Item]:
        """Everything ``read`` finds in an inner file, its places under ``prefix``
        (``named``: its name is its own, not one made up from the container's)."""
        for item in read(self, name, data, depth, charset, named=named):
            yield under(prefix, item)


def under(prefix: str, item: Item) -> Item:
    """``item`` with its place inside ``prefix``."""
    return replace(item, place=f"{prefix}: {item.place}" if item.place else prefix)


def read_bytes(name: str, data: bytes, *, depth: int = 0) -> Generator[Item, None, None]:
    """Every reading of the file ``name`` with content ``data``, and what could not be read."""
    yield from read(Context(), name, data, depth, None)


def read(ctx: Context, name: str, data: bytes, depth: int, charset: str | None, *,
         named: bool = True) -> Iterator[Item]:
    """``read_bytes`` with the budget of the top-level file it is part of."""
    if named:
        yield from name_readings(name)
    if depth > MAX_DEPTH:
        yield Unreadable("contents", f"nested too deep (more than {MAX_DEPTH} containers)")
        return
    kind = sniff(name, data)
    if kind == "pdf":
        from .decode_pdf import read_pdf

        yield from read_pdf(ctx, data, depth)
    elif kind in ("zip", "tar", "gzip", "bz2", "xz", "warc"):
        from . import decode_archive

        yield from decode_archive.read_archive(ctx, kind, name, data, depth)
    elif kind == "mime":
        from .decode_mail import read_mime

        yield from text_readings(ctx, data, depth, charset)
        yield from read_mime(ctx, name, data, depth)
    elif kind in ("image", "sound or video", "font"):
        if kind != "font":  # a font's glyphs are shapes, not text a reader sees
            yield Unreadable(kind, "what it shows or says cannot be searched, only its "
                             "metadata")
        yield from media_readings(data)
    elif kind in _UNSUPPORTED.values():
        yield Unreadable("contents", f"compressed as {kind}, which cannot be read here")
        yield from media_readings(data)
    else:
        yield from text_readings(ctx, data, depth, charset)
        if data.startswith(b"{\\rtf"):
            yield Reading("RTF text (escapes decoded)", rtf_text(data))
    if kind != "zip" and _is_zip(data):  # a zip appended to something else
        from . import decode_archive

        yield from decode_archive.read_archive(ctx, "zip", name, data, depth)


def name_readings(name: str) -> Iterator[Reading]:
    yield Reading("file name", name)
    spaced = _SEPARATORS.sub(" ", name)
    if spaced != name:
        yield Reading("file name with -_.+ as spaces", spaced)


def sniff(name: str, data: bytes) -> str:
    """What kind of file ``data`` is, by its content first and its name second."""
    lower = name.lower()
    head = data[:1024]
    if b"%PDF-" in head:
        return "pdf"
    if data[:4] in (b"PK\x03\x04", b"PK\x05\x06", b"PK\x07\x08"):
        return "zip"
    if data[:2] == b"\x1f\x8b":
        return "gzip"
    if data[:3] == b"BZh" and data[3:4].isdigit():
        return "bz2"
    if data[:6] == b"\xfd7zXZ\x00":
        return "xz"
    if data[:5] == b"WARC/":
        return "warc"
    if len(data) > 262 and data[257:262] == b"ustar":
        return "tar"
    for magic, label in _UNSUPPORTED.items():
        if data.startswith(magic):
            return label
    bmp = data[:2] == b"BM" and lower.endswith(".bmp")
    if data.startswith(_IMAGE_MAGIC) or bmp or (data[:4] == b"RIFF" and data[8:12] == b"WEBP"):
        return "image"
    if data.startswith(_SOUND_MAGIC) or data[4:8] == b"ftyp" or (
            data[:4] == b"RIFF" and data[8:12] in (b"WAVE", b"AVI ")):
        return "sound or video"
    if data.startswith(_FONT_MAGIC):
        return "font"
    from .decode_mail import looks_like_mime

    if lower.endswith((".eml", ".mbox", ".mht", ".mhtml")) or looks_like_mime(data):
        return "mime"
    return "text"


def _is_zip(data: bytes) -> bool:
    if b"PK\x05\x06" not in data[-66000:]:
        return False
    import zipfile
    from io import BytesIO

    return zipfile.is_zipfile(BytesIO(data))


# --- text ------------------------------------------------------------------------------------


def pieces(data: bytes) -> Iterator[tuple[int, bytes]]:
    """``data`` in overlapping pieces of at most ``CHUNK`` bytes (starts 4-byte aligned)."""
    if len(data) <= CHUNK:
        yield 0, data
        return
    for start in range(0, len(data), CHUNK - OVERLAP):
        yield start, data[start:start + CHUNK]
        if start + CHUNK >= len(data):
            return


def decodings(data: bytes, codec_list: list[tuple[str, str]],
              prefix: str = "bytes") -> Iterator[Reading]:
    """``data`` decoded with each codec (UTF-16 also from its second byte), with
    undecodable bytes replaced; a decoding identical to an earlier one is left out."""
    seen: set[tuple[int, int]] = set()
    ascii_done = False
    plain = data.isascii()
    for label, codec in codec_list:
        wide = codec in _WIDE
        if plain and not wide:
            if ascii_done:
                continue  # every ASCII-compatible codec reads ASCII the same way
            ascii_done = True
        for offset in (0, 1) if codec.startswith("utf-16") else (0,):
            place = f"{prefix} as {label}" + (" (odd byte alignment)" if offset else "")
            for start, piece in pieces(data[offset:] if offset else data):
                text = piece.decode(codec, errors="replace")
                key = (len(text), hash(text))
                if key in seen:
                    continue
                seen.add(key)
                where = place if len(data) <= CHUNK else \
                    f"{place} (bytes {start + offset}-{start + offset + len(piece)})"
                yield Reading(where, text)


def text_readings(ctx: Context, data: bytes, depth: int,
                  charset: str | None = None) -> Iterator[Item]:
    """A text-like file or an unknown binary: every encoding, then what its texts hold."""
    extra = []
    for label in ([charset] if charset else []) + [m.decode("ascii", "replace")
                                                   for m in _DECLARED.findall(data[:8192])]:
        codec = _codec(label)
        if codec and all(codec != _codec(c) for _, c in CODECS):
            extra.append((f"{label} (declared)", codec))
    guess = _guess(data)
    codec_list = CODECS if not is_utf8(data) else [c for c in CODECS if c[1] in _FOR_UTF8]
    seen_escapes: set[tuple[int, int]] = set()
    seen_uris: set[str] = set()
    for reading in decodings(data, [*extra, *codec_list, *([guess] if guess else [])]):
        yield reading
        text = reading.text
        if "\\u" in text or "\\x" in text:
            decoded = unescape(text)
            key = (len(decoded), hash(decoded))
            if decoded != text and key not in seen_escapes:
                seen_escapes.add(key)
                yield Reading(f"{reading.place}, \\u and \\x escapes decoded", decoded)
        if "ata:" in text or "ATA:" in text:
            yield from data_uris(ctx, text, reading.place, depth, seen_uris)


def is_utf8(data: bytes) -> bool:
    """Whether ``data`` is valid UTF-8 (checked piece by piece, so without a copy of it)."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    try:
        for start in range(0, len(data), CHUNK):
            decoder.decode(data[start:start + CHUNK])
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return False
    return True


def _codec(label: str) -> str | None:
    try:
        return codecs.lookup(label).name
    except (LookupError, ValueError):
        return None


def _guess(data: bytes) -> tuple[str, str] | None:
    """charset_normalizer's best guess, when it is not one of ``CODECS`` already."""
    if data.isascii() or len(data) > 16 * 2**20:
        return None
    from charset_normalizer import from_bytes

    try:
        best = from_bytes(data).best()
    except Exception:  # a guess that fails is no guess
        return None
    if best is None:
        return None
    codec = _codec(best.encoding)
    if codec is None or any(codec == _codec(c) for _, c in CODECS):
        return None
    return f"{best.encoding} (charset_normalizer's guess)", codec


def unescape(text: str) -> str:
    """``\\uXXXX``, ``\\u{X}`` and ``\\xXX`` escapes decoded (surrogate pairs joined)."""
    def one(m: re.Match[str]) -> str:
        cp = int(m.group(1) or m.group(2) or m.group(3), 16)
        return chr(cp) if cp <= 0x10FFFF else m.group(0)

    out = _ESCAPE.sub(one, text)
    return out.encode("utf-16", "surrogatepass").decode("utf-16", "replace")


def data_uris(ctx: Context, text: str, place: str, depth: int,
              seen: set[str]) -> Iterator[Item]:
    """Each base64 ``data:`` URI in ``text``, decoded and read as a file of its own."""
    for m in _DATA_URI.finditer(text):
        payload = re.sub(r"\s+", "", m.group(3))
        if payload in seen:
            continue
        seen.add(payload)
        try:
            raw = base64.b64decode(unquote_to_bytes(payload) + b"==", validate=False)
        except (ValueError, TypeError):
            yield Unreadable(f"{place}: data URI", "its base64 is damaged")
            continue
        if not ctx.take(len(raw)):
            yield Unreadable(f"{place}: data URI", "too large to check")
            return
        media = m.group(1) or "application/octet-stream"
        yield from ctx.nested(f"{place}: data URI ({media})", _data_name(media), raw,
                              depth + 1, _charset_param(m.group(2)), named=False)


def _data_name(media: str) -> str:
    import mimetypes

    return "data" + (mimetypes.guess_extension(media) or "")


def _charset_param(params: str) -> str | None:
    m = re.search(r"charset=([\w.:-]+)", params or "", re.I)
    return m.group(1) if m else None


def media_readings(data: bytes) -> Iterator[Reading]:
    """Images, sound, video, fonts: their metadata as UTF-8, latin-1 and UTF-16."""
    yield from decodings(data, MEDIA_CODECS)
    if data.startswith(b"\x89PNG"):
        texts = list(png_texts(data))
        if texts:
            yield Reading("PNG text chunks", "\n".join(texts))


def png_texts(data: bytes) -> Iterator[str]:
    """The tEXt, zTXt and iTXt chunks of a PNG, decompressed (at most 64 MiB each)."""
    pos = 8
    while pos + 8 <= len(data):
        length = int.from_bytes(data[pos:pos + 4], "big")
        kind, body = data[pos + 4:pos + 8], data[pos + 8:pos + 8 + length]
        pos += 12 + length
        key, _, rest = body.partition(b"\0")
        try:
            if kind == b"tEXt":
                yield f"{key.decode('latin-1')}: {rest.decode('latin-1')}"
            elif kind == b"zTXt":
                text = zlib.decompressobj().decompress(rest[1:], RATIO_MIN)
                yield f"{key.decode('latin-1')}: {text.decode('latin-1')}"
            elif kind == b"iTXt":
                flag, rest = rest[:1], rest[2:]
                lang, _, rest = rest.partition(b"\0")
                translated, _, text = rest.partition(b"\0")
                if flag == b"\x01":
                    text = zlib.decompressobj().decompress(text, RATIO_MIN)
                yield (f"{key.decode('latin-1')} {lang.decode('latin-1')}: "
                       f"{translated.decode('utf-8', 'replace')} {text.decode('utf-8', 'replace')}")
        except zlib.error:
            continue


def rtf_text(data: bytes) -> str:
    """RTF with its ``\\'hh`` and ``\\uN`` escapes decoded and control words removed."""
    m = re.search(rb"\\ansicpg(\d+)", data[:4096])
    codec = _codec(f"cp{m.group(1).decode()}") if m else None
    codec = codec or "cp1252"
    text = data.decode("latin-1")

    def uni(m: re.Match[str]) -> str:
        n = int(m.group(1))
        return chr(n + 65536 if n < 0 else n)

    text = re.sub(r"\\u(-?\d+) ?(?:\\'[0-9a-fA-F]{2}|\?)?", uni, text)
    text = re.sub(r"(?:\\'[0-9a-fA-F]{2})+", lambda m: bytes.fromhex(
        m.group(0).replace("\\'", "")).decode(codec, "replace"), text)
    text = re.sub(r"\\[a-zA-Z]+-?\d* ?|[{}]", "", text)
    return text
