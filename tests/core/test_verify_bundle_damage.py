"""verify-bundle on a damaged zip: the damaged file is a problem of the report, never a crash."""

from __future__ import annotations

import hashlib
import zipfile
from pathlib import Path

from workbench.cli import main
from workbench.errors import UserError
from workbench.export.verify import verify_bundle

PAYLOAD = {"data/dossier.txt": b"Exhibit 1: the witness statement. " * 400,
           "data/sources.json": b'{"sources": []}'}


def _bag_zip(path: Path) -> Path:
    manifest = "".join(f"{hashlib.sha256(d).hexdigest()}  {n}\n" for n, d in PAYLOAD.items())
    info = (f"Payload-Oxum: {sum(len(d) for d in PAYLOAD.values())}.{len(PAYLOAD)}\n")
    tags = {"bagit.txt": b"BagIt-Version: 1.0\nTag-File-Character-Encoding: UTF-8\n",
            "manifest-sha256.txt": manifest.encode(), "bag-info.txt": info.encode()}
    tagmanifest = "".join(f"{hashlib.sha256(d).hexdigest()}  {n}\n" for n, d in tags.items())
    files = {**tags, "tagmanifest-sha256.txt": tagmanifest.encode(), **PAYLOAD}
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in files.items():
            zf.writestr(f"bag/{name}", data)
    return path


def _corrupt_member(path: Path, member: str) -> None:
    """Flip bytes inside ``member``'s compressed data (its CRC no longer matches)."""
    with zipfile.ZipFile(path) as zf:
        info = zf.getinfo(member)
    raw = bytearray(path.read_bytes())
    header = info.header_offset
    name_len = int.from_bytes(raw[header + 26:header + 28], "little")
    extra_len = int.from_bytes(raw[header + 28:header + 30], "little")
    start = header + 30 + name_len + extra_len
    for i in range(start + 5, start + 15):
        raw[i] ^= 0xFF
    path.write_bytes(bytes(raw))


def test_intact_zip_verifies(tmp_path):
    assert verify_bundle(_bag_zip(tmp_path / "b.zip"))["ok"]


def test_a_damaged_member_is_named_and_the_rest_still_checked(tmp_path):
    path = _bag_zip(tmp_path / "b.zip")
    _corrupt_member(path, "bag/data/dossier.txt")
    result = verify_bundle(path)
    assert not result["ok"]
    damaged = [p for p in result["problems"] if p.startswith("data/dossier.txt cannot be read")]
    assert damaged, result["problems"]
    assert result["files_checked"] == 1  # sources.json was still hashed


def test_cli_reports_a_damaged_member_without_an_internal_error(tmp_path, capsys):
    path = _bag_zip(tmp_path / "b.zip")
    _corrupt_member(path, "bag/data/dossier.txt")
    code = main(["verify-bundle", str(path)])
    out, err = capsys.readouterr()
    assert code != 0
    assert "internal error" not in (out + err).lower()
    assert "data/dossier.txt cannot be read" in out + err


def test_a_zip_whose_directory_is_damaged_is_a_clear_error(tmp_path):
    path = _bag_zip(tmp_path / "b.zip")
    raw = bytearray(path.read_bytes())
    central = raw.rfind(b"PK\x01\x02")
    raw[central + 42:central + 46] = b"\xff\xff\xff\x0f"  # a member's offset past the end
    path.write_bytes(bytes(raw))
    try:
        result = verify_bundle(path)
    except UserError as exc:
        assert str(path) in str(exc)
    else:
        assert not result["ok"]
