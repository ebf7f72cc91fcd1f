"""A text's MinHash signature: what finding its other copies compares.

Shingles are five consecutive words folded the way search folds them (case, accents, width,
Arabic marks: ``search.analysis.fold``), so a PDF's and a web page's reading of one article
give the same shingles whatever their line breaks, quotes or hyphens. Scripts written without
spaces (Chinese, Japanese, Korean, Thai, Lao, Khmer, Burmese) give character 4-grams instead,
since their "words" are whole runs. Each shingle is hashed with CRC-32 (stable across runs and
machines, and 10x faster than datasketch's SHA-1 default) into a 128-value MinHash, datasketch's
``affine32`` scheme (see ``sign``).

A text with fewer than ``MIN_SHINGLES`` distinct shingles (about 50 words) gets no copies:
two short notes that say the same thing are not copies of one source.
"""

from __future__ import annotations

import base64
import re
import sys
import unicodedata
import zlib
from array import array
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import numpy as np

NUM_PERM = 128
WORDS = 5
CHARS = 4
MIN_SHINGLES = 45
SEED = 1
BLOCK = 1024  # shingles a time: a block is 0.5 MB of 32-bit values

# Runs of scripts written without spaces between words.
_UNSPACED = ("\u0e00-\u0eff\u1000-\u109f\u1780-\u17ff\u3005-\u3007\u3040-\u30ff\u3400-\u4dbf"
             "\u4e00-\u9fff\uf900-\ufaff\uac00-\ud7af\uff66-\uff9f")
_UNSPACED_RE = re.compile(f"[{_UNSPACED}]+")
_ASCII_WORD = re.compile(r"[a-z0-9]+")


@dataclass(frozen=True)
class Signature:
    """``values``: NUM_PERM unsigned 32-bit MinHash values; ``shingles``: how many distinct
    shingles they summarise (0: too short, no copies)."""

    values: np.ndarray[Any, Any]
    shingles: int

    def to_bytes(self) -> bytes:
        return bytes(self.values.astype("<u4").tobytes())

    @classmethod
    def from_bytes(cls, data: bytes, shingles: int) -> Signature:
        import numpy as np

        return cls(np.frombuffer(data, dtype="<u4").astype(np.uint32), shingles)


def shingles(text: str) -> set[bytes]:
    """The distinct shingles of ``text`` (UTF-8 bytes, ready to hash)."""
    out: set[bytes] = set()
    words: list[str] = []
    if text.isascii():
        words = _ASCII_WORD.findall(text.lower())
    else:
        text = unicodedata.normalize("NFKC", text)
        last = 0
        for m in _UNSPACED_RE.finditer(text):
            _words(text[last:m.start()], words)
            _char_grams(m.group().casefold(), out)
            last = m.end()
        _words(text[last:], words)
    for i in range(max(0, len(words) - WORDS + 1)):
        out.add(" ".join(words[i:i + WORDS]).encode())
    if 0 < len(words) < WORDS:
        out.add(" ".join(words).encode())
    return out


def _words(text: str, words: list[str]) -> None:
    # Loaded here: an extraction worker shingling ASCII text needs none of search.
    from ..search import analysis

    for m in analysis.TOKEN_RE.finditer(text):
        term = analysis.fold(m.group())
        if term:
            words.append(term)


def _char_grams(run: str, out: set[bytes]) -> None:
    if len(run) <= CHARS:
        out.add(run.encode())
        return
    for i in range(len(run) - CHARS + 1):
        out.add(run[i:i + CHARS].encode())


@lru_cache(maxsize=1)
def _permutations() -> tuple[Any, Any]:
    """datasketch's ``affine32`` permutations for ``SEED`` (``MinHash._init_permutations``):
    h -> a h + b mod 2^32 with a odd."""
    import numpy as np

    gen = np.random.RandomState(SEED)
    a = gen.randint(0, 1 << 31, NUM_PERM, dtype=np.uint32) * np.uint32(2) + np.uint32(1)
    b = gen.randint(0, 1 << 32, NUM_PERM, dtype=np.uint32)
    return a, b


def _fmix32(h: Any) -> Any:
    """The MurmurHash3 finalizer datasketch applies to each input hash first."""
    import numpy as np

    h = h ^ (h >> np.uint32(16))
    h = h * np.uint32(0x85EBCA6B)
    h = h ^ (h >> np.uint32(13))
    h = h * np.uint32(0xC2B2AE35)
    return h ^ (h >> np.uint32(16))


def sign(text: str) -> Signature:
    """The signature of ``text``: the values ``datasketch.MinHash(num_perm=128, seed=1,
    hashfunc=zlib.crc32, scheme="affine32").update_batch(shingles)`` gives (a test holds
    them equal), computed here with numpy alone: importing datasketch loads scipy, 1.2 s
    (7 s under load) that every import process would pay for an arithmetic of ten lines."""
    return sign_hashes(shingle_hashes(text))


def shingle_hashes(text: str) -> bytes:
    """The CRC-32 of each distinct shingle of ``text``, as native 32-bit values: the part of
    signing that is plain Python (about 2.5 ms of a 30,000-character text's 3.5), done by
    the extraction worker that read the text (``extract/worker.py``), off the importing
    process. ``sign_hashes`` finishes the signature from them."""
    return array("I", map(zlib.crc32, shingles(text))).tobytes()


def sign_hashes(hashes: bytes) -> Signature:
    """The signature of the text whose ``shingle_hashes`` these are. Shingles are taken in
    blocks so a very long text never needs a huge matrix."""
    import numpy as np

    found = np.frombuffer(hashes, dtype=np.uint32)
    if len(found) < MIN_SHINGLES:
        return Signature(np.zeros(NUM_PERM, dtype=np.uint32), 0)
    a, b = _permutations()
    hashed = _fmix32(found).reshape(-1, 1)
    values = np.full(NUM_PERM, 0xFFFFFFFF, dtype=np.uint32)
    # One block's matrix, computed in place: the importing process signs while its index
    # writer works, and ``h * a + b`` made two such temporaries a block (4 MB at the
    # import's memory peak, kept by the allocator once freed).
    work = np.empty((min(BLOCK, len(hashed)), NUM_PERM), dtype=np.uint32)
    with np.errstate(over="ignore"):  # the wrap-around is the modulo 2^32
        for i in range(0, len(hashed), BLOCK):
            block = hashed[i:i + BLOCK]
            out = work[:len(block)]
            np.multiply(block, a, out=out)
            np.add(out, b, out=out)
            np.minimum(values, out.min(axis=0), out=values)
    return Signature(values, len(found))


def text_sha256(text: str) -> str:
    """What a worker's hashes are checked against: the text layer's own hash
    (``persist.text_hash``), so hashes of any other text are never used."""
    return _sha256()(text.encode("utf-8")).hexdigest()


def _sha256() -> Any:
    """The interpreter's own SHA-256 where it has one: ``hashlib`` loads OpenSSL's libcrypto
    (3.8 MB resident in each extraction worker, which needs no other digest). The same
    digest either way; OpenSSL's is faster, but a text is hashed once (~0.1 ms). The
    project's Python is 3.11 (requirements.lock, the standalone build); a later one, where
    the module is named ``_sha2``, gets hashlib's."""
    try:
        from _sha256 import sha256
    except ImportError:
        from hashlib import sha256  # type: ignore[assignment]
    return sha256


def encode_hashes(hashes: bytes) -> str:
    """For the worker's JSON answer (little-endian, whatever the machine)."""
    if sys.byteorder == "big":
        swapped = array("I", hashes)
        swapped.byteswap()
        hashes = swapped.tobytes()
    return base64.b64encode(hashes).decode("ascii")


def decode_hashes(data: str) -> bytes:
    raw = base64.b64decode(data, validate=True)
    if len(raw) % 4:
        raise ValueError("shingle hashes are 4 bytes each")
    if sys.byteorder == "big":
        swapped = array("I", raw)
        swapped.byteswap()
        raw = swapped.tobytes()
    return raw


def jaccard(a: Signature, b: Signature) -> float:
    """The estimated Jaccard similarity of the two shingle sets."""
    import numpy as np

    if not a.shingles or not b.shingles:
        return 0.0
    return float(np.count_nonzero(a.values == b.values)) / NUM_PERM


def containment(j: float, a: int, b: int) -> float:
    """How much of the smaller set lies in the larger, from the Jaccard estimate ``j`` and the
    sets' sizes (|A ∩ B| = j (|A| + |B|) / (1 + j)): a copy with paragraphs removed is
    contained in the whole even when their Jaccard is low."""
    if not a or not b:
        return 0.0
    inter = j * (a + b) / (1 + j)
    return min(1.0, inter / min(a, b))
