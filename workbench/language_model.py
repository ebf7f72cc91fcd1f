"""The language model's tables, memory-mapped from a derived copy in the user's cache folder.

py3langid ships its model as an LZMA-compressed ``.npz`` (4.5 MB) and loads it whole: about
76 MB resident (105 MB while it loads) and 0.4–1 s, mostly converting arrays to Python
objects. The ``.npz`` inside the ``.xz`` stores its arrays uncompressed, so once it has been
written out its arrays can be memory-mapped where they lie: a process then holds only the
pages its texts touch (a few MB for documents in one language), opening takes milliseconds,
and every Workbench process on the computer shares one copy in the page cache.

The copy is derived on first use into ``<user cache dir>/language-model/`` (never into the
installed package, and nothing is downloaded): decompressed as a stream (xz checks its own
integrity as it goes) into a temporary file that is renamed into place, so no reader ever
sees half of one. Its name carries the SHA-256 of the model it came from, so an upgraded
py3langid derives its own copy and the stale one is removed. Each process checks the copy's
layout and one known answer before using it; a copy that fails is removed (the next process
derives it again). When the copy cannot be written (a read-only home, a full disk) or fails
its check, the model loads whole, as py3langid itself does: detection never depends on the
cache.
"""

from __future__ import annotations

import hashlib
import io
import logging
import lzma
import mmap
import os
import shutil
import struct
import tempfile
import weakref
import zipfile
from array import array as pyarray
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

log = logging.getLogger(__name__)

CACHE_SUBDIR = "language-model"
_PREFIX = "py3langid-"
# The arrays py3langid's model holds (py3langid.modelio.save_model).
_MEMBERS = ("ptc", "pc", "classes", "nextmove", "nextmove_row", "out_feat")
# How the DFA walk's tables are indexed: numpy's dtype kind and size -> memoryview's code.
_ITEM_CODES: dict[str, Literal["H", "I", "i"]] = {"u2": "H", "u4": "I", "i4": "i"}
_ZIP_LOCAL_HEADER = struct.Struct("<4s22xHH")  # signature, ..., name length, extra length


def source_model() -> Path:
    """The model file py3langid ships (inside the installed package or the frozen build)."""
    from py3langid.langid import MODEL_DIR, MODEL_FILE

    return Path(MODEL_DIR) / MODEL_FILE


def cache_dir() -> Path:
    import platformdirs

    from .paths import APP_AUTHOR, APP_NAME

    return Path(platformdirs.user_cache_dir(APP_NAME, APP_AUTHOR)) / CACHE_SUBDIR


def load_identifier() -> Any:
    """py3langid's ``LanguageIdentifier`` (probabilities normalised), mapped when possible."""
    try:
        return mapped_identifier()
    except (OSError, ValueError, zipfile.BadZipFile, lzma.LZMAError) as exc:
        log.info("language model loaded whole: its cached copy is unavailable (%s)", exc)
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)


def mapped_identifier(folder: Path | None = None) -> Any:
    """The identifier over the memory-mapped copy in ``folder``, derived there if missing.

    Raises OSError when the copy cannot be written or read, ValueError when it is not laid
    out as py3langid's model (it is then removed, so the next process derives it again).
    """
    src = source_model()
    folder = folder or cache_dir()
    path = folder / f"{_PREFIX}{_sha256(src)[:32]}.npz"
    if not path.exists():
        _derive(src, path)
    try:
        mapping, members = _map_members(path)
        identifier = _identifier(mapping, members)
        # The zip's directory cannot show damage inside a table: one known answer can.
        try:
            code, confidence = identifier.classify(_CHECK_TEXT)
        except Exception as exc:  # a damaged table can break the walk in any way
            raise ValueError(f"the cached model fails ({type(exc).__name__})") from exc
        if code != "en" or confidence < 0.9:
            raise ValueError(f"the cached model answers {code!r} ({confidence:.2f}) for English")
    except (ValueError, zipfile.BadZipFile):
        _remove(path)
        raise
    _mappings.add(mapping)
    release_pages()  # the check's own pages: ~6 MB mapped for one sentence (below)
    return identifier


# The mappings of the models in use (normally one); a model dropped takes its mapping along.
_mappings: weakref.WeakSet[mmap.mmap] = weakref.WeakSet()


def release_pages() -> None:
    """Let go of the pages of the cached copy this process has mapped in.

    For each page a detection reads, the kernel maps the 64 KB around it (fault-around,
    whatever MADV_RANDOM says): one English sample leaves ~11 MB mapped, a library in four
    languages most of the file, held for the process's life. The pages stay in the page
    cache, so the next detection maps what it needs again at the cost of a minor fault per
    page, not a read from disk."""
    for mapping in list(_mappings):
        if not mapping.closed and hasattr(mmap, "MADV_DONTNEED"):
            try:
                mapping.madvise(mmap.MADV_DONTNEED)
            except OSError:  # only an optimisation: the pages just stay mapped
                pass


_CHECK_TEXT = ("The court heard three witnesses about the detention of the journalist and "
               "adjourned the hearing until the commission has examined the evidence.")


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _derive(src: Path, dest: Path) -> None:
    dest.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=dest.parent, prefix=".deriving-", suffix=".npz")
    try:
        with os.fdopen(fd, "wb") as out, lzma.open(src) as stream:
            shutil.copyfileobj(stream, out, 1 << 20)
            out.flush()
            os.fsync(out.fileno())
            # Drop the freshly written pages from the page cache: written pages sit there as
            # large folios, and a mapping that touches one byte of a large folio is charged
            # for all of it. Read back page by page (MADV_RANDOM below), a process's resident
            # share is then what its texts touch.
            _forget_pages(out.fileno())
        os.replace(tmp, dest)
    except BaseException:
        _remove(Path(tmp))
        raise
    for stale in dest.parent.glob(f"{_PREFIX}*.npz"):
        if stale != dest:
            _remove(stale)


def _forget_pages(fd: int) -> None:
    if hasattr(os, "posix_fadvise"):
        os.posix_fadvise(fd, 0, 0, os.POSIX_FADV_DONTNEED)


def _remove(path: Path) -> None:
    try:
        path.unlink()
    except OSError:
        pass


@dataclass(frozen=True)
class _Member:
    offset: int  # of the array's data in the file
    shape: tuple[int, ...]
    dtype: Any  # numpy.dtype


def _map_members(path: Path) -> tuple[mmap.mmap, dict[str, _Member]]:
    """One read-only mapping of ``path`` and where each member's data lies in it, with its
    shape and dtype read from the member's own ``.npy`` header."""
    import numpy as np

    with open(path, "rb") as fh:
        mapping = mmap.mmap(fh.fileno(), 0, access=mmap.ACCESS_READ)
    if hasattr(mmap, "MADV_RANDOM"):
        mapping.madvise(mmap.MADV_RANDOM)  # no read-ahead: only the pages a text touches
    members: dict[str, _Member] = {}
    with zipfile.ZipFile(path) as archive:
        for info in archive.infolist():
            name = info.filename.removesuffix(".npy")
            if name not in _MEMBERS:
                continue
            if info.compress_type != zipfile.ZIP_STORED:
                raise ValueError(f"{name} is compressed in the cached model")
            at = info.header_offset
            signature, name_len, extra_len = _ZIP_LOCAL_HEADER.unpack_from(mapping, at)
            if signature != b"PK\x03\x04":
                raise ValueError(f"{name}: no zip entry at its offset")
            start = at + _ZIP_LOCAL_HEADER.size + name_len + extra_len
            header = io.BytesIO(mapping[start:start + min(info.file_size, 1 << 16)])
            version = np.lib.format.read_magic(header)
            read_header = (np.lib.format.read_array_header_1_0 if version == (1, 0)
                           else np.lib.format.read_array_header_2_0)
            shape, fortran, dtype = read_header(header)
            size = int(np.prod(shape)) * dtype.itemsize
            if fortran or dtype.hasobject or header.tell() + size != info.file_size:
                raise ValueError(f"{name}: unexpected layout in the cached model")
            members[name] = _Member(start + header.tell(), tuple(shape), dtype)
    missing = set(_MEMBERS) - set(members)
    if missing:
        raise ValueError(f"the cached model lacks {sorted(missing)}")
    return mapping, members


def _identifier(mapping: mmap.mmap, members: dict[str, _Member]) -> Any:
    import numpy as np
    from py3langid.langid import LanguageIdentifier

    def array(name: str) -> Any:
        m = members[name]
        return np.frombuffer(mapping, dtype=m.dtype, count=int(np.prod(m.shape)),
                             offset=m.offset).reshape(m.shape)

    view = memoryview(mapping)

    def typed(name: str) -> memoryview:
        # The DFA walk indexes these once per byte of text: a memoryview gives it Python
        # ints as fast as py3langid's own array.array copies. (numpy's buffer of these
        # unaligned members has a format memoryview cannot index, hence the cast.)
        m = members[name]
        code = _ITEM_CODES.get(f"{m.dtype.kind}{m.dtype.itemsize}")
        if code is None or m.dtype.byteorder == ">":
            raise ValueError(f"{name}: unexpected type {m.dtype} in the cached model")
        return view[m.offset:m.offset + int(np.prod(m.shape)) * m.dtype.itemsize].cast(code)

    ptc, pc, classes = array("ptc"), array("pc"), array("classes").tolist()
    states = members["nextmove_row"].shape[0]
    if (len(ptc.shape) != 2 or ptc.shape[1] != len(pc) or len(classes) != len(pc)
            or members["out_feat"].shape[0] != states
            or members["nextmove"].shape[0] % 256):
        raise ValueError("the cached model's tables do not fit together")
    row = typed("nextmove_row")
    identifier = LanguageIdentifier(ptc, np.array(pc), classes, typed("nextmove"),
                                    typed("out_feat"), norm_probs=True, tk_row=row[:0])
    identifier.tk_row = row
    # py3langid pre-shifts every state's row offset into a list of Python ints: 4.3 MB for
    # its ~120,000 states, held by the importing process (issue 16: import memory). The same
    # values in an array of machine ints are 1 MB, read as fast by the walk.
    identifier._rowbase = pyarray("q", (array("nextmove_row").astype(np.int64) << 8).tobytes())
    return identifier
