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
from itertools import accumulate, repeat
from operator import add, sub
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
    _word_windows(words, out)
    return out


def _word_windows(words: list[str], out: set[bytes]) -> None:
    """Add each run of ``WORDS`` consecutive words, joined by spaces, UTF-8 encoded (or all of
    them when there are fewer). Cut as slices of the whole text joined once, with no Python
    loop over the windows: a join and an encode per window were a fifth of an extraction
    worker's time on a text PDF (issue 16). A word may hold spaces (NFKC spells some
    ligatures out): the slices follow each word's own encoded length."""
    if not words:
        return
    joined = " ".join(words).encode()
    if len(words) < WORDS:
        out.add(joined)
        return
    # starts[i]: where word i begins in ``joined``; starts[-1] is one past the end + 1.
    sizes = map(len, words) if len(joined) == sum(map(len, words)) + len(words) - 1 \
        else map(len, map(str.encode, words))
    starts = list(accumulate(map(add, sizes, repeat(1)), initial=0))
    ends = map(sub, starts[WORDS:], repeat(1))
    out.update(map(joined.__getitem__, map(slice, starts, ends)))


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


# datasketch's ``affine32`` permutations for SEED (``MinHash._init_permutations``: numpy's
# ``RandomState(SEED)``, ``randint(0, 2**31) * 2 + 1`` then ``randint(0, 2**32)``, NUM_PERM
# each), written out: numpy.random is not in the standalone build (packaging/workbench.spec),
# where drawing them failed and no copy was ever found, and importing it cost every importing
# process 6.6 MB and ~11 ms. tests/core/test_copies_presigned.py draws them again and compares.
_PERM_A = (
    0xd583e84b, 0xfe8f01d7, 0x70ce5f19, 0xdd782891, 0x000efdff, 0x41998713, 0x9acb5597,
    0xff823d0b, 0x4b23969f, 0x78e0a781, 0x2f470121, 0xcb0ca103, 0x5f5d7f99, 0xc69c3c8f,
    0xb0ed55db, 0x56e8f3f9, 0xcb251b0d, 0xdefefa33, 0x13dfc965, 0xb14faa29, 0xd6a0a9fd,
    0xa06562cb, 0x5ed51725, 0x0c9193a9, 0x68adf717, 0xe30c41f9, 0xc1989bd5, 0x758b2539,
    0x0e05bf3b, 0x119eb31d, 0x57478465, 0xd3f2d489, 0xd5a8f9af, 0xea16bfaf, 0x1e0c97d3,
    0xdc8485e3, 0x47e0cbef, 0xe0d55bbd, 0x656d8ec1, 0x8e8908ad, 0x99fb311b, 0x6e93afd3,
    0xefbffb13, 0x9b03080f, 0xa079227f, 0x2f83967b, 0x62781c2d, 0x094b4a73, 0xc0b61403,
    0xbae3ef01, 0xca09e279, 0xa885f1a3, 0x2b8aea11, 0xa8c1c5b1, 0x13fefd1b, 0x8bcd34e7,
    0x56f4035f, 0x1e551fd5, 0xc19be4f3, 0x574f7391, 0x325a843d, 0x2fa6488f, 0xd79b6b07,
    0x57e30b8d, 0xea707f2b, 0xd2d5dc63, 0x10fb0a73, 0x65256407, 0x623db789, 0x944a5631,
    0xa18b43e3, 0x48c3f857, 0x5f7d0c99, 0x910e9835, 0xab540e69, 0xd3384aa1, 0x095d14db,
    0x117ee6e7, 0x8012ea53, 0x3f80dba5, 0xfa4c001f, 0x523ed881, 0x7f0f9189, 0x98d46033,
    0x8f965adf, 0xe46bbdc5, 0x941c6baf, 0x71ba4f0f, 0x34da0a35, 0x258ffd33, 0xe5524cd1,
    0xf040082d, 0xd1336e13, 0x313d7d87, 0x965497cf, 0xce8688fd, 0x93574a2f, 0x3d2ddafb,
    0x42931ac9, 0x0cb28137, 0x09ea774b, 0x2ad0a273, 0x5b9054a7, 0xd56ed94d, 0x6c5a8511,
    0xd2264a41, 0x87f5bb45, 0x990d5e15, 0xfbaf7a2f, 0x2b350d1f, 0x1b5255df, 0x21bf38af,
    0x25f2be33, 0x3a561f8f, 0x4b2001e7, 0xe9bf0ab9, 0x2db97495, 0x859f097d, 0x6646ba5d,
    0x7647a741, 0x34652db1, 0x1120292f, 0xd3ff256f, 0xe65e4a83, 0x63886ae3, 0xfc724e9b,
    0xd40f4e07, 0x14c99701,
)
_PERM_B = (
    0x0cc9bff8, 0xc3f6d4fd, 0x893081cd, 0x0b9bc706, 0xa9ee7234, 0x23d4d1d5, 0x83cfc5c6,
    0xcadaf602, 0xf1d0f64c, 0x07a10fdb, 0x96287895, 0xe21482cb, 0xe7455907, 0x8a71184d,
    0x23318ac8, 0x72aed44b, 0x23a79d4c, 0xe463042b, 0xceb13214, 0x60a95e1e, 0x65ce2624,
    0x89d63367, 0x2a54a707, 0xa6fd0f2d, 0xed7133c4, 0x5c7b9a39, 0x59072ef0, 0x922d9dfc,
    0xc03538d2, 0xa3494060, 0xb9db010d, 0x20562c0a, 0xe2205917, 0xb0b13f7c, 0x9fa8fb51,
    0xa5d2e787, 0xc03dc379, 0x5a9bc098, 0x595166ca, 0xc3633ddc, 0x4519fe94, 0x5b45a9a0,
    0xe558cc8c, 0xc0b6bcc1, 0x6d97625e, 0xe19f9e3c, 0xf6ffc1e9, 0x02fcc098, 0xa9d74d52,
    0x7f841373, 0x9f277361, 0x12e40882, 0x1d5ffdec, 0xc975a6dc, 0xf311ba67, 0x1066b762,
    0x732d710a, 0x5af59eb6, 0x94115760, 0xf11c39e9, 0x687ba752, 0x613ac9d6, 0x3cadccc6,
    0xc34ebac2, 0xe743e147, 0xc5873fe7, 0x92dca8b0, 0x4d25f636, 0x00bc1c0f, 0xc5d23b85,
    0x9dfd3591, 0x272668aa, 0x539f0014, 0x94215a76, 0x86ed47b0, 0x024e5916, 0xe2cd19e5,
    0xb583cf8d, 0x5b7607f1, 0x787bea72, 0xe895c261, 0xc3bc56b5, 0x9f948754, 0x77a70c0a,
    0x040cdc60, 0x44dd40b7, 0xedef993d, 0xd4e9ce38, 0xb0de9ed9, 0x8d23a195, 0xff508ce7,
    0x11f0dc60, 0x2c1e81f9, 0x78f41fd3, 0x231b5419, 0xbe25d5f1, 0xeebe938e, 0x3124088d,
    0xb262acd4, 0x76dd1e74, 0x10e5632b, 0x3af90e86, 0xc16606cd, 0x821c82b8, 0xc0fe07bb,
    0x3564bb8f, 0xec4b5618, 0x0c9f33fb, 0xb6267c89, 0x84d421c2, 0x1fd038c7, 0x2c1a6f35,
    0x0516dd45, 0x6574c9a4, 0x06b5c365, 0x1b7c4af8, 0x073f1815, 0x8282ed28, 0x3f07b04d,
    0x1a2588db, 0xdc2acab1, 0x49e96971, 0x89f0d52f, 0x3b5485cd, 0x8d85bda8, 0xf7b915ce,
    0xd78f562d, 0x473fe757,
)


@lru_cache(maxsize=1)
def _permutations() -> tuple[Any, Any]:
    """The permutations h -> a h + b mod 2^32 (a odd), as numpy arrays."""
    import numpy as np

    return np.array(_PERM_A, dtype=np.uint32), np.array(_PERM_B, dtype=np.uint32)


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
