"""`workbench verify FILE` points to `verify-bundle`: a new user who exported a dossier and ran
`workbench verify dossier.zip` met "unrecognized arguments" (session 15's walk)."""

from __future__ import annotations

from pathlib import Path

import pytest

from workbench.cli import main


def test_verify_with_a_file_names_verify_bundle(tmp_path: Path,
                                                capsys: pytest.CaptureFixture[str]) -> None:
    bundle = tmp_path / "dossier.zip"
    bundle.write_bytes(b"PK\x05\x06" + b"\0" * 18)
    code = main(["--library", str(tmp_path / "none"), "verify", str(bundle)])
    err = capsys.readouterr().err
    assert code == 2
    assert f"workbench verify-bundle {bundle}" in err
    assert "unrecognized arguments" not in err and "Traceback" not in err
