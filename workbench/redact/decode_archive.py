"""Containers for ``decode``: zip (and DOCX, ODT, XLSX, EPUB, WACZ), tar, gzip, bz2, xz, WARC.

Every member is read as a file of its own (its name too); compressed data is inflated within
the top-level file's budget and a ratio guard, and what cannot be inflated (encrypted members,
unknown methods, damaged or truncated data, bombs) is ``Unreadable``. A zip's local headers
that its central directory does not list (hidden members, or a damaged directory) are read
too, as a recovery tool would. WARC records give their WARC and HTTP headers and their body,
de-chunked and decompressed by its ``Content-Encoding``.
"""

from __future__ import annotations

import bz2
import lzma
import tarfile
import zipfile
import zlib
from collections.abc import Callable, Iterator
from io import BytesIO
from typing import Any
from urllib.parse import unquote, urlsplit

from .decode import (
    CODECS,
    RATIO,
    RATIO_MIN,
    Context,
    Item,
    Reading,
    Unreadable,
    decodings,
    name_readings,
    under,
)

MAX_MEMBERS = 200_000
STEP = 4 * 2**20
_SUFFIXES = {".tgz": ".tar", ".tbz2": ".tar", ".tbz": ".tar", ".txz": ".tar", ".svgz": ".svg",
             ".gz": "", ".gzip": "", ".bz2": "", ".xz": "", ".z": ""}


def read_archive(ctx: Context, kind: str, name: str, data: bytes, depth: int) -> Iterator[Item]:
    if kind == "zip":
        yield from read_zip(ctx, data, depth)
    elif kind == "tar":
        yield from read_tar(ctx, data, depth)
    elif kind == "warc":
        yield from read_warc(ctx, data, depth)
    else:
        yield from read_compressed(ctx, kind, name, data, depth)


# --- decompression ---------------------------------------------------------------------------


def decompress(ctx: Context, kind: str, data: bytes) -> tuple[bytes, str | None]:
    """``data`` inflated (``gzip``, ``zlib``, ``deflate``, ``raw``, ``bz2``, ``xz``, ``br``)
    within the budget: the bytes, and what went wrong (truncated, damaged, too large)."""
    limit = max(ctx.left, 0)
    if kind in ("gzip", "zlib", "raw"):
        out, problem = _inflate(data, {"gzip": 31, "zlib": 15, "raw": -15}[kind], limit)
    elif kind == "deflate":  # HTTP's "deflate" is zlib-wrapped, or raw as some servers send
        out, problem = _inflate(data, 15, limit)
        if problem and not out:
            out, problem = _inflate(data, -15, limit)
    elif kind == "bz2":
        out, problem = _stream(bz2.BZ2Decompressor, data, limit)
    elif kind == "xz":
        out, problem = _stream(lzma.LZMADecompressor, data, limit)
    elif kind == "br":
        out, problem = _brotli(data, limit)
    else:
        return b"", f"compressed as {kind}, which cannot be read here"
    ctx.take(len(out))
    if problem is None and len(out) > RATIO_MIN and len(out) > RATIO * len(data):
        problem = f"it inflates more than {RATIO} times (a decompression bomb?)"
    return out, problem


def too_large(problem: str | None) -> bool:
    """Whether ``decompress`` stopped at a limit (its output is then not worth reading)."""
    return problem is not None and ("too large" in problem or "inflates" in problem)


def _too_large(out: bytearray, limit: int, size: int) -> bool:
    return len(out) > limit or (len(out) > RATIO_MIN and len(out) > RATIO * size)


def _inflate(data: bytes, wbits: int, limit: int) -> tuple[bytes, str | None]:
    out = bytearray()
    rest = data
    while rest:
        d = zlib.decompressobj(wbits)
        buf = rest
        try:
            while not d.eof:
                chunk = d.decompress(buf, STEP)
                out += chunk
                buf = d.unconsumed_tail
                if _too_large(out, limit, len(data)):
                    return bytes(out[:limit]), "too large to check"
                if not chunk and not buf:
                    break
        except zlib.error as exc:
            return bytes(out), f"damaged compressed data ({exc})"
        if not d.eof:
            return bytes(out), "truncated compressed data"
        rest = d.unused_data if wbits == 31 else b""
        if not rest.strip(b"\0") or rest[:2] != b"\x1f\x8b":
            break  # padding, or trailing bytes that are not another member
    return bytes(out), None


def _stream(make: Callable[[], Any], data: bytes, limit: int) -> tuple[bytes, str | None]:
    out = bytearray()
    rest = data
    while rest:
        d = make()
        buf = rest
        try:
            while not d.eof:
                out += d.decompress(buf, STEP)
                buf = b""
                if _too_large(out, limit, len(data)):
                    return bytes(out[:limit]), "too large to check"
                if d.needs_input and not d.eof:
                    return bytes(out), "truncated compressed data"
        except (OSError, EOFError, lzma.LZMAError, ValueError) as exc:
            return bytes(out), f"damaged compressed data ({exc})"
        rest = d.unused_data
        if not rest.strip(b"\0"):
            break
    return bytes(out), None


def _brotli(data: bytes, limit: int) -> tuple[bytes, str | None]:
    try:
        import brotli
    except ImportError:
        return b"", "compressed as brotli, which cannot be read here"
    out = bytearray()
    d = brotli.Decompressor()
    try:
        out += d.process(data, output_buffer_limit=STEP)
        while not d.can_accept_more_data() and not _too_large(out, limit, len(data)):
            out += d.process(b"", output_buffer_limit=STEP)
    except brotli.error as exc:
        return bytes(out), f"damaged compressed data ({exc})"
    if _too_large(out, limit, len(data)):
        return bytes(out[:limit]), "too large to check"
    return bytes(out), None if d.is_finished() else "truncated compressed data"


def read_compressed(ctx: Context, kind: str, name: str, data: bytes,
                    depth: int) -> Iterator[Item]:
    """A gzip, bz2 or xz file: its (gzip) header's name and comment, then its contents."""
    if kind == "gzip":
        header = _gzip_header(data)
        if header:
            yield from decodings(header, CODECS[:1] + CODECS[-1:], "gzip header (name, comment)")
    out, problem = decompress(ctx, kind, data)
    if problem:
        yield Unreadable(f"{kind} contents", problem)
    if out and not too_large(problem):  # what a damaged file gave is still read
        yield from ctx.nested(f"{kind} contents", inner_name(name), out, depth + 1, named=False)


def inner_name(name: str) -> str:
    lower = name.lower()
    for suffix, replacement in _SUFFIXES.items():
        if lower.endswith(suffix):
            return name[: -len(suffix)] + replacement
    return name


def _gzip_header(data: bytes) -> bytes:
    """The original file name and comment a gzip header may carry."""
    if len(data) < 10:
        return b""
    flags, pos = data[3], 10
    if flags & 4:
        pos += 2 + int.from_bytes(data[10:12], "little")
    found = []
    for bit in (8, 16):
        if flags & bit:
            end = data.find(b"\0", pos)
            if end < 0:
                break
            found.append(data[pos:end])
            pos = end + 1
    return b"\n".join(found)


# --- zip and tar -----------------------------------------------------------------------------


def read_zip(ctx: Context, data: bytes, depth: int) -> Iterator[Item]:
    try:
        zf = zipfile.ZipFile(BytesIO(data))
        infos = zf.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError) as exc:
        yield Unreadable("zip archive", f"its directory is damaged or missing ({exc})")
        yield from _local_members(ctx, data, depth, {})
        return
    if zf.comment:
        yield Reading("zip comment", zf.comment.decode("utf-8", "replace"))
    if len(infos) > MAX_MEMBERS:
        yield Unreadable("zip archive", f"more than {MAX_MEMBERS} members")
        infos = infos[:MAX_MEMBERS]
    for info in infos:
        yield from _zip_member(ctx, zf, info, depth)
    yield from _local_members(ctx, data, depth,
                              {i.header_offset: i.compress_size for i in infos})


def _zip_member(ctx: Context, zf: zipfile.ZipFile, info: zipfile.ZipInfo,
                depth: int) -> Iterator[Item]:
    prefix = f"zip member {info.filename}"
    if not info.flag_bits & 0x800 and not info.filename.isascii():
        # Stored without the UTF-8 flag: a Chinese or Japanese Windows reads the raw bytes
        # in its own code page, not as cp437 as Python does.
        raw = info.filename.encode("cp437", "replace")
        yield from (under(prefix, r) for r in decodings(raw, CODECS, "name bytes"))
    if info.comment:
        yield Reading(f"{prefix}: comment", info.comment.decode("utf-8", "replace"))
    problem = None
    if info.is_dir():
        pass
    elif info.flag_bits & 1:
        problem = "encrypted with a password"
    elif info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED, zipfile.ZIP_BZIP2,
                                    zipfile.ZIP_LZMA):
        names: dict[int, str] = getattr(zipfile, "compressor_names", {})
        method = names.get(info.compress_type, f"method {info.compress_type}")
        problem = f"compressed with {method}, which cannot be read here"
    elif info.file_size > ctx.left:
        problem = "too large to check"
    elif info.file_size > RATIO_MIN and info.file_size > RATIO * max(info.compress_size, 1):
        problem = f"it inflates more than {RATIO} times (a zip bomb?)"
    if info.is_dir() or problem:
        yield from (under(prefix, r) for r in name_readings(info.filename))
        if problem:
            yield Unreadable(prefix, problem)
        return
    try:
        with zf.open(info) as fh:
            if hasattr(fh, "_expected_crc"):
                fh._expected_crc = None  # a wrong checksum does not hide the bytes
            member = fh.read(info.file_size + 1)
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError, NotImplementedError,
            RuntimeError, ValueError, lzma.LZMAError) as exc:
        yield from (under(prefix, r) for r in name_readings(info.filename))
        yield Unreadable(prefix, f"damaged ({exc})")
        return
    ctx.take(len(member))
    yield from ctx.nested(prefix, info.filename, member, depth + 1)


def _local_members(ctx: Context, data: bytes, depth: int,
                   listed: dict[int, int]) -> Iterator[Item]:
    """Members found by their local headers that the central directory (``listed``: header
    offset to compressed size) does not list."""
    pos = data.find(b"PK\x03\x04")
    skip_to = 0
    while pos >= 0 and len(data) >= pos + 30:
        header = data[pos:pos + 30]
        method = int.from_bytes(header[8:10], "little")
        csize = int.from_bytes(header[18:22], "little")
        nlen, xlen = (int.from_bytes(header[i:i + 2], "little") for i in (26, 28))
        start = pos + 30 + nlen + xlen
        if pos in listed:
            skip_to = start + listed[pos]  # its data may hold a stored inner zip
        elif pos >= skip_to:
            name = data[pos + 30:pos + 30 + nlen].decode("utf-8", "replace")
            prefix = f"zip member {name} (found by its local header)"
            member, problem = b"", None
            if method == 0:
                member = data[start:start + csize]
            elif method == 8:
                member, problem = decompress(ctx, "raw", data[start:start + csize or None])
                member = b"" if too_large(problem) else member
            else:
                problem = f"compressed with method {method}, which cannot be read here"
            yield from (under(prefix, r) for r in name_readings(name))
            if problem:
                yield Unreadable(prefix, problem)
            if member:
                yield from ctx.nested(prefix, name, member, depth + 1, named=False)
            skip_to = start + csize
        pos = data.find(b"PK\x03\x04", pos + 4)


def read_tar(ctx: Context, data: bytes, depth: int) -> Iterator[Item]:
    try:
        tf = tarfile.open(fileobj=BytesIO(data), mode="r:")  # noqa: SIM115 (closed below)
    except (tarfile.TarError, OSError, EOFError) as exc:
        yield Unreadable("tar archive", f"it cannot be opened ({exc})")
        return
    with tf:
        yield from _tar_members(ctx, tf, depth)


def _tar_members(ctx: Context, tf: tarfile.TarFile, depth: int) -> Iterator[Item]:
    try:
        for member in tf:
            prefix = f"tar member {member.name}"
            if member.linkname:
                yield Reading(f"{prefix}: link target", member.linkname)
            if member.pax_headers:
                yield Reading(f"{prefix}: extended header",
                              "\n".join(f"{k}={v}" for k, v in member.pax_headers.items()))
            if not member.isfile():
                yield from (under(prefix, r) for r in name_readings(member.name))
            elif member.size > ctx.left:
                yield from (under(prefix, r) for r in name_readings(member.name))
                yield Unreadable(prefix, "too large to check")
            else:
                fh = tf.extractfile(member)
                content = fh.read() if fh is not None else b""
                ctx.take(len(content))
                yield from ctx.nested(prefix, member.name, content, depth + 1)
    except (tarfile.TarError, OSError, EOFError) as exc:
        yield Unreadable("tar archive", f"truncated or damaged ({exc})")


# --- WARC ------------------------------------------------------------------------------------


def read_warc(ctx: Context, data: bytes, depth: int) -> Iterator[Item]:
    """Each record's headers and (de-chunked, decompressed) body."""
    from warcio.archiveiterator import ArchiveIterator
    from warcio.bufferedreaders import ChunkedDataReader

    yield from decodings(data, CODECS[:1] + CODECS[-1:])
    try:
        for n, record in enumerate(ArchiveIterator(BytesIO(data)), 1):
            prefix = f"WARC record {n} ({record.rec_type})"
            yield Reading(f"{prefix}: WARC headers", record.rec_headers.to_str())
            http = record.http_headers
            stream = record.raw_stream
            if http is not None:
                yield Reading(f"{prefix}: HTTP headers", http.to_str())
                if (http.get_header("transfer-encoding") or "").lower() == "chunked":
                    stream = ChunkedDataReader(stream)
            body = stream.read()
            if not body:
                continue
            uri = record.rec_headers.get_header("WARC-Target-URI") or ""
            ctype = (http or record.rec_headers).get_header("content-type") or ""
            where = f"{prefix}: HTTP body" if http is not None else f"{prefix}: content"
            encodings = [e.strip().lower() for e in
                         ((http.get_header("content-encoding") or "") if http else "").split(",")]
            for enc in reversed([e for e in encodings if e and e != "identity"]):
                kind = {"x-gzip": "gzip", "gzip": "gzip", "deflate": "deflate"}.get(enc, enc)
                body, problem = decompress(ctx, kind, body)
                where += f" ({enc})"
                if problem:
                    yield Unreadable(where, problem)
                if too_large(problem):
                    body = b""
            if body:
                yield from ctx.nested(where, _body_name(uri, ctype), body, depth + 1,
                                      _charset(ctype), named=False)
    except Exception as exc:  # warcio raises its own types and plain ones for damaged input
        yield Unreadable("WARC records", f"truncated or damaged ({type(exc).__name__}: {exc})")


def _body_name(uri: str, ctype: str) -> str:
    import mimetypes

    path = unquote(urlsplit(uri).path)
    base = path.rsplit("/", 1)[-1] or "index"
    if "." not in base:
        base += mimetypes.guess_extension(ctype.split(";")[0].strip()) or ""
    return base


def _charset(ctype: str) -> str | None:
    for param in ctype.split(";")[1:]:
        key, _, value = param.partition("=")
        if key.strip().lower() == "charset":
            return value.strip().strip("\"'") or None
    return None
