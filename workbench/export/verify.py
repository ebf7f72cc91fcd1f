"""``verify-bundle``: check a BagIt bag (folder or zip) with no library at hand.

Recomputes every SHA-256 in ``manifest-sha256.txt`` and ``tagmanifest-sha256.txt``, reports
payload files missing from the manifest or listed but absent, and checks ``Payload-Oxum``;
reports the originals ``bag-info.txt`` says were withheld (they are not problems).
A zip is read in place (nothing is extracted), so a hostile archive cannot write anywhere.
"""

from __future__ import annotations

import hashlib
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from ..errors import NotFound, UserError

Reader = Callable[[str], bytes | None]


def _parse_manifest(text: str) -> list[tuple[str, str]]:
    rows = []
    for line in text.splitlines():
        if line.strip():
            digest, _, name = line.strip().partition(" ")
            rows.append((digest.lower(), name.strip().replace("%0D", "\r")
                         .replace("%0A", "\n").replace("%25", "%")))
    return rows


def _verify(names: list[str], read: Reader) -> dict[str, Any]:
    problems: list[str] = []
    if read("bagit.txt") is None:
        problems.append("bagit.txt is missing: this is not a BagIt bag")
        return {"ok": False, "files_checked": 0, "problems": problems}
    manifest = read("manifest-sha256.txt")
    if manifest is None:
        problems.append("manifest-sha256.txt is missing")
        return {"ok": False, "files_checked": 0, "problems": problems}
    listed = _parse_manifest(manifest.decode("utf-8"))
    checked = 0
    for digest, name in listed:
        data = read(name)
        if data is None:
            problems.append(f"{name} is listed in the manifest but missing")
            continue
        checked += 1
        if hashlib.sha256(data).hexdigest() != digest:
            problems.append(f"{name} does not match its SHA-256 in the manifest")
    payload = {n for n in names if n.startswith("data/")}
    for extra in sorted(payload - {n for _, n in listed}):
        problems.append(f"{extra} is in the payload but not in the manifest")
    tags = read("tagmanifest-sha256.txt")
    if tags is None:
        problems.append("tagmanifest-sha256.txt is missing")
    else:
        for digest, name in _parse_manifest(tags.decode("utf-8")):
            data = read(name)
            if data is None or hashlib.sha256(data).hexdigest() != digest:
                problems.append(f"tag file {name} is missing or altered")
    problems += _check_oxum(read, listed)
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


def _check_oxum(read: Reader, listed: list[tuple[str, str]]) -> list[str]:
    info = read("bag-info.txt")
    if info is None:
        return []
    for line in info.decode("utf-8").splitlines():
        if line.lower().startswith("payload-oxum:"):
            want = line.split(":", 1)[1].strip()
            sizes = [len(d) for _, n in listed if (d := read(n)) is not None]
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

        def read_dir(name: str) -> bytes | None:
            p = path / name
            if ".." in Path(name).parts or not p.is_file():
                return None
            return p.read_bytes()

        result = _verify(names, read_dir)
    elif zipfile.is_zipfile(path):
        with zipfile.ZipFile(path) as zf:
            members = [i.filename for i in zf.infolist() if not i.is_dir()]
            tops = {m.split("/", 1)[0] for m in members}
            prefix = f"{tops.pop()}/" if len(tops) == 1 and all("/" in m for m in members) else ""
            index = {m[len(prefix):]: m for m in members}

            def read_zip(name: str) -> bytes | None:
                member = index.get(name)
                return None if member is None else zf.read(member)

            result = _verify(list(index), read_zip)
    else:
        raise UserError(f"{path} is neither a folder nor a zip file",
                        "give the bundle folder or the .zip the export wrote")
    result["path"] = str(path)
    return result
