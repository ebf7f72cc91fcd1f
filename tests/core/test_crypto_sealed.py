"""The sealed-file format: round trips, random access, and every kind of tampering refused."""

from __future__ import annotations

import io
import os
import random
from pathlib import Path

import pytest

from workbench.crypto.sealed import (
    HEADER_SIZE,
    TAG,
    SealedFileError,
    SealedReader,
    SealedWriter,
    open_bytes,
    seal_bytes,
)

KEY = bytes(range(32))
SMALL = 1024  # a small chunk size keeps multi-chunk cases fast


def _seal(path: Path, data: bytes, chunk: int = SMALL) -> None:
    with SealedWriter(path, KEY, chunk=chunk) as out:
        out.write(data)


@pytest.mark.parametrize("size", [0, 1, SMALL - 1, SMALL, SMALL + 1, 3 * SMALL, 5 * SMALL + 7])
def test_round_trip_of_every_size_near_a_chunk_boundary(tmp_path: Path, size: int) -> None:
    data = os.urandom(size)
    _seal(tmp_path / "f", data)
    with SealedReader(tmp_path / "f", KEY) as src:
        assert src.size == size
        assert src.read() == data
    chunks = max(1, -(-size // SMALL))
    assert (tmp_path / "f").stat().st_size == HEADER_SIZE + size + chunks * TAG


def test_the_file_on_disk_holds_no_plaintext(tmp_path: Path) -> None:
    text = b"Aygul Tursun was detained in Urumqi. " * 200
    seal_bytes(tmp_path / "f", KEY, text)
    raw = (tmp_path / "f").read_bytes()
    assert b"Aygul" not in raw and b"Urumqi" not in raw
    assert open_bytes(tmp_path / "f", KEY) == text


def test_random_access_reads_match_the_plaintext(tmp_path: Path) -> None:
    data = os.urandom(10 * SMALL + 123)
    _seal(tmp_path / "f", data)
    rng = random.Random(7)
    with SealedReader(tmp_path / "f", KEY) as src:
        for _ in range(200):
            at = rng.randrange(0, len(data) + 10)
            n = rng.randrange(0, 3 * SMALL)
            src.seek(at)
            assert src.read(n) == data[at:at + n]
            assert src.tell() == min(len(data), at + n) if at <= len(data) else True
        src.seek(-5, io.SEEK_END)
        assert src.read() == data[-5:]


def test_writes_in_pieces_and_a_seek_back_within_the_open_chunk(tmp_path: Path) -> None:
    with SealedWriter(tmp_path / "f", KEY, chunk=SMALL) as out:
        for i in range(50):
            out.write(bytes([i]) * 97)
        out.seek(out.tell() - 10)
        out.write(b"0123456789")
        with pytest.raises(io.UnsupportedOperation):
            out.seek(0)  # already sealed
    expected = bytearray(b"".join(bytes([i]) * 97 for i in range(50)))
    expected[-10:] = b"0123456789"
    assert open_bytes(tmp_path / "f", KEY) == bytes(expected)


def _chunks(raw: bytes, chunk: int = SMALL) -> tuple[bytes, list[bytes]]:
    body = raw[HEADER_SIZE:]
    step = chunk + TAG
    return raw[:HEADER_SIZE], [body[i:i + step] for i in range(0, len(body), step)]


def _refused(path: Path) -> None:
    with pytest.raises(SealedFileError):
        open_bytes(path, KEY)


def test_a_flipped_bit_anywhere_is_refused(tmp_path: Path) -> None:
    _seal(tmp_path / "f", os.urandom(3 * SMALL))
    raw = (tmp_path / "f").read_bytes()
    for at in (3, 10, HEADER_SIZE - 1, HEADER_SIZE + 5, len(raw) // 2, len(raw) - 1):
        bad = bytearray(raw)
        bad[at] ^= 0x01
        (tmp_path / "g").write_bytes(bytes(bad))
        _refused(tmp_path / "g")


def test_truncation_at_a_chunk_boundary_is_refused(tmp_path: Path) -> None:
    _seal(tmp_path / "f", os.urandom(3 * SMALL + 10))
    header, chunks = _chunks((tmp_path / "f").read_bytes())
    for keep in range(len(chunks)):
        (tmp_path / "g").write_bytes(header + b"".join(chunks[:keep]))
        _refused(tmp_path / "g")
    (tmp_path / "g").write_bytes((tmp_path / "f").read_bytes()[:-1])
    _refused(tmp_path / "g")


def test_reordered_and_spliced_chunks_are_refused(tmp_path: Path) -> None:
    _seal(tmp_path / "a", os.urandom(3 * SMALL))
    _seal(tmp_path / "b", os.urandom(3 * SMALL))
    ha, ca = _chunks((tmp_path / "a").read_bytes())
    _hb, cb = _chunks((tmp_path / "b").read_bytes())
    (tmp_path / "g").write_bytes(ha + ca[1] + ca[0] + ca[2])
    _refused(tmp_path / "g")
    (tmp_path / "g").write_bytes(ha + ca[0] + cb[1] + ca[2])
    _refused(tmp_path / "g")
    (tmp_path / "g").write_bytes(ha + ca[0] + ca[1] + ca[2] + ca[2])  # appended
    _refused(tmp_path / "g")


def test_the_wrong_key_and_a_plain_file_are_refused(tmp_path: Path) -> None:
    seal_bytes(tmp_path / "f", KEY, b"secret")
    with pytest.raises(SealedFileError):
        open_bytes(tmp_path / "f", bytes(32))
    (tmp_path / "plain").write_bytes(b"just some text, not sealed at all" * 3)
    _refused(tmp_path / "plain")


def test_an_empty_file_is_authenticated_too(tmp_path: Path) -> None:
    seal_bytes(tmp_path / "f", KEY, b"")
    assert open_bytes(tmp_path / "f", KEY) == b""
    raw = bytearray((tmp_path / "f").read_bytes())
    raw[-1] ^= 1
    (tmp_path / "g").write_bytes(bytes(raw))
    _refused(tmp_path / "g")


def test_an_aborted_writer_leaves_no_file(tmp_path: Path) -> None:
    with pytest.raises(RuntimeError), SealedWriter(tmp_path / "f", KEY) as out:
        out.write(b"half")
        raise RuntimeError("stop")
    assert not (tmp_path / "f").exists()


def test_the_reader_has_no_fileno_so_nothing_maps_the_sealed_bytes(tmp_path: Path) -> None:
    seal_bytes(tmp_path / "f", KEY, b"x")
    with SealedReader(tmp_path / "f", KEY) as src, pytest.raises(OSError):
        src.fileno()
