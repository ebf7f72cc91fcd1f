"""``verify-bundle``: check a BagIt bag (folder or zip) with no library at hand.

Recomputes every SHA-256 in ``manifest-sha256.txt`` and ``tagmanifest-sha256.txt``, reports
payload files missing from the manifest or listed but absent, and checks ``Payload-Oxum``;
reports the originals ``bag-info.txt`` says were withheld (they are not problems).
A zip is read in place (nothing is extracted), so a hostile archive cannot write anywhere;
files are hashed as streams, so a huge or compression-bomb member costs time, not memory, and a
damaged member (bad CRC, truncated data, unknown compression) is reported as a problem of that
file instead of ending the check.
"""

from __future__ import annotations

import hashlib
import zipfile
import zlib
from collections.abc import Callable
from pathlib import Path
from typing import IO, Any

from ..errors import NotFound, UserError

Opener = Callable[[str], IO[bytes] | None]
Reader = Callable[[str], bytes | None]
_TAG_FILE_LIMIT = 16 * 1024 * 1024  # bagit.txt, manifests, bag-info: text, never this large
_CHUNK = 1 << 20
# What reading a damaged zip member raises: CRC mismatch, truncated or corrupt deflate data,
# an unsupported compression method, a missing local header.
_DAMAGED = (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError, OSError)


class _Damaged(Exception):
    """A file of the bundle that exists but cannot be read to its end."""


class _Bag:
    """Reads one bag's files by their name inside the bag, through ``open_``."""

    def __init__(self, open_: Opener) -> None:
        self._open = open_

    def digest(self, name: str) -> tuple[str, int] | None:
        """SHA-256 and size of ``name``, hashed as a stream; None when it is absent."""
        try:
            stream = self._open(name)
            if stream is None:
                return None
            with stream:
                h, size = hashlib.sha256(), 0
                while chunk := stream.read(_CHUNK):
                    h.update(chunk)
                    size += len(chunk)
        except _DAMAGED as exc:
            raise _Damaged(f"{name} cannot be read from the bundle ({_reason(exc)})") from exc
        return h.hexdigest(), size

    def read(self, name: str) -> bytes | None:
        """A small tag file's bytes; None when absent, damaged or implausibly large."""
        try:
            stream = self._open(name)
            if stream is None:
                return None
            with stream:
                data = stream.read(_TAG_FILE_LIMIT + 1)
        except _DAMAGED:
            return None
        return None if len(data) > _TAG_FILE_LIMIT else data


def _reason(exc: BaseException) -> str:
    return str(exc) or type(exc).__name__


def _parse_manifest(text: str) -> list[tuple[str, str]]:
    rows = []
    for line in text.splitlines():
        if line.strip():
            digest, _, name = line.strip().partition(" ")
            rows.append((digest.lower(), name.strip().replace("%0D", "\r")
                         .replace("%0A", "\n").replace("%25", "%")))
    return rows


def _verify(names: list[str], bag: _Bag) -> dict[str, Any]:
    problems: list[str] = []
    read = bag.read
    if read("bagit.txt") is None:
        problems.append("bagit.txt is missing: this is not a BagIt bag")
        return {"ok": False, "files_checked": 0, "problems": problems}
    manifest = read("manifest-sha256.txt")
    if manifest is None:
        problems.append("manifest-sha256.txt is missing")
        return {"ok": False, "files_checked": 0, "problems": problems}
    listed = _parse_manifest(manifest.decode("utf-8", errors="replace"))
    checked = 0
    sizes: list[int] = []
    for digest, name in listed:
        try:
            got = bag.digest(name)
        except _Damaged as exc:
            problems.append(str(exc))
            continue
        if got is None:
            problems.append(f"{name} is listed in the manifest but missing")
            continue
        checked += 1
        sizes.append(got[1])
        if got[0] != digest:
            problems.append(f"{name} does not match its SHA-256 in the manifest")
    payload = {n for n in names if n.startswith("data/")}
    for extra in sorted(payload - {n for _, n in listed}):
        problems.append(f"{extra} is in the payload but not in the manifest")
    tags = read("tagmanifest-sha256.txt")
    if tags is None:
        problems.append("tagmanifest-sha256.txt is missing")
    else:
        for digest, name in _parse_manifest(tags.decode("utf-8", errors="replace")):
            try:
                got = bag.digest(name)
            except _Damaged:
                got = None
            if got is None or got[0] != digest:
                problems.append(f"tag file {name} is missing or altered")
    problems += _check_oxum(read, sizes)
    return {"ok": not problems, "files_checked": checked, "problems": problems,
            "withheld_originals": _withheld(read)}


def _withheld(read: Reader) -> list[dict[str, str]]:
    """The originals the exporter says it left out (``Withheld-Original`` in bag-info.txt),
    so a recipient knows the payload is knowingly incomplete, and why."""
    info = read("bag-info.txt")
    out = []
    for line in (info or b"").decode("utf-8", errors="replace").splitlines():
        label, _, value = line.partition(":")
        if label.strip().lower() == "withheld-original":
            sha, _, rest = value.strip().partition(" ")
            out.append({"sha256": sha, "reason": rest.strip().strip("()")})
    return out


def _check_oxum(read: Reader, sizes: list[int]) -> list[str]:
    """``sizes``: the payload files found, as hashed (absent and damaged ones are already
    problems of their own)."""
    info = read("bag-info.txt")
    if info is None:
        return []
    for line in info.decode("utf-8", errors="replace").splitlines():
        if line.lower().startswith("payload-oxum:"):
            want = line.split(":", 1)[1].strip()
            have = f"{sum(sizes)}.{len(sizes)}"
            if want != have:
                return [f"Payload-Oxum says {want} but the payload is {have}"]
    return []


def verify_bundle(path: Path) -> dict[str, Any]:
    path = Path(path)
    if not path.exists():
        raise NotFound(f"No bundle at {path}")
    if path.is_dir():
        names = [p.relative_to(path).as_posix() for p in path.rglob("*") if p.is_file()]

        def open_dir(name: str) -> IO[bytes] | None:
            p = path / name
            if ".." in Path(name).parts or not p.is_file():
                return None
            return p.open("rb")

        result = _verify(names, _Bag(open_dir))
    elif zipfile.is_zipfile(path):
        try:
            zf = zipfile.ZipFile(path)
        except _DAMAGED as exc:
            raise UserError(f"{path} is a damaged zip file ({_reason(exc)})",
                            "ask the sender for the bundle again") from exc
        with zf:
            members = [i.filename for i in zf.infolist() if not i.is_dir()]
            tops = {m.split("/", 1)[0] for m in members}
            prefix = f"{tops.pop()}/" if len(tops) == 1 and all("/" in m for m in members) else ""
            index = {m[len(prefix):]: m for m in members}

            def open_zip(name: str) -> IO[bytes] | None:
                member = index.get(name)
                return None if member is None else zf.open(member)

            result = _verify(list(index), _Bag(open_zip))
    else:
        raise UserError(f"{path} is neither a folder nor a zip file",
                        "give the bundle folder or the .zip the export wrote")
    result["path"] = str(path)
    return result
