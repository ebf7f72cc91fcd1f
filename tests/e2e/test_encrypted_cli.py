"""An encrypted library from the command line: the passphrase only from a prompt or a file
descriptor, one-line errors, the passphrase changed, no traceback of it on disk."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SECRET = "Ekpar's long correct passphrase"
NEW = "an entirely new passphrase"


def wb(lib: Path, *args: str, secret: str | None = None) -> subprocess.CompletedProcess[str]:
    """Run the CLI; ``secret`` (lines) is handed over on a pipe, as ``--passphrase-fd``."""
    env = dict(os.environ, WORKBENCH_LIBRARY=str(lib))
    fds: tuple[int, ...] = ()
    extra: list[str] = []
    if secret is not None:
        r, w = os.pipe()
        os.write(w, secret.encode("utf-8"))
        os.close(w)
        fds, extra = (r,), ["--passphrase-fd", str(r)]
    try:
        return subprocess.run([sys.executable, "-m", "workbench.cli", *extra, *args], cwd=ROOT,
                              env=env, capture_output=True, text=True, timeout=240,
                              stdin=subprocess.DEVNULL, pass_fds=fds)
    finally:
        for fd in fds:
            os.close(fd)


def _one_line_error(run: subprocess.CompletedProcess[str], code: int, *words: str) -> None:
    assert run.returncode == code, run.stderr
    lines = [x for x in run.stderr.splitlines() if x.startswith("workbench: error:")]
    assert len(lines) == 1 and "Traceback" not in run.stderr, run.stderr
    assert all(w in lines[0] for w in words), lines[0]


def test_encrypted_library_from_init_to_a_new_passphrase(tmp_path: Path,
                                                         corpus_dir: Path) -> None:
    lib = tmp_path / "lib"
    run = wb(lib, "init", "--encrypt", "--json", secret=SECRET + "\n")
    assert run.returncode == 0, run.stderr
    assert json.loads(run.stdout) == {"library": str(lib), "encrypted": True}
    assert json.loads((lib / "workbench-library.json").read_text())["encrypted"] is True

    run = wb(lib, "import", "--json", str(corpus_dir), secret=SECRET)
    assert run.returncode == 0, run.stderr
    assert len(json.loads(run.stdout)["imported"]) == 4
    hits = json.loads(wb(lib, "search", '"forced labour"', "--json", secret=SECRET).stdout)
    assert hits["hits"]

    # no passphrase (no terminal either), a wrong one, one given as an argument
    _one_line_error(wb(lib, "list"), 2, "encrypted", "--passphrase-fd")
    _one_line_error(wb(lib, "list", secret="not the passphrase\n"), 1, "passphrase is wrong")
    run = wb(lib, "--passphrase", SECRET, "list")
    _one_line_error(run, 2, "file descriptor")
    assert SECRET not in run.stderr  # a passphrase typed as an argument is not echoed

    before = {p: p.read_bytes() for p in (lib / "originals").rglob("*") if p.is_file()}
    run = wb(lib, "passphrase", "--json", secret=f"{SECRET}\n{NEW}\n")
    assert run.returncode == 0, run.stderr
    assert json.loads(run.stdout)["changed"] is True
    assert before == {p: p.read_bytes() for p in (lib / "originals").rglob("*") if p.is_file()}
    _one_line_error(wb(lib, "list", secret=SECRET), 1, "passphrase is wrong")
    listed = wb(lib, "list", "--json", secret=NEW)
    assert listed.returncode == 0 and len(json.loads(listed.stdout)) == 4
    _one_line_error(wb(lib, "passphrase", secret=f"{SECRET}\n{NEW}x\n"), 1, "wrong")


def test_init_refuses_a_short_passphrase_and_encrypting_a_plain_library(tmp_path: Path) -> None:
    _one_line_error(wb(tmp_path / "a", "init", "--encrypt", secret="short\n"), 2, "too short")
    assert not (tmp_path / "a" / "keys.json").exists()
    assert wb(tmp_path / "b", "init").returncode == 0
    _one_line_error(wb(tmp_path / "b", "init", "--encrypt", secret=SECRET + "\n"), 2,
                    "not encrypted")
    _one_line_error(wb(tmp_path / "b", "passphrase", secret=f"{SECRET}\n{NEW}\n"), 2,
                    "not encrypted")


def test_a_bug_on_an_encrypted_library_writes_no_traceback_to_disk(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    from workbench import cli, paths
    from workbench.cli import core_cmds
    from workbench.library import Library

    Library.create(tmp_path / "lib", passphrase=SECRET).close()
    logs = tmp_path / "logs"
    logs.mkdir()
    monkeypatch.setattr(paths, "log_dir", lambda: logs)

    witness = "Ekpar Memet"  # a message holding document text, as a bug's could

    def broken(*_args: object) -> object:
        raise RuntimeError(f"the witness {witness} said ...")

    monkeypatch.setattr(core_cmds, "cmd_list", broken)
    r, w = os.pipe()
    os.write(w, SECRET.encode() + b"\n")
    os.close(w)
    try:
        code = cli.main(["--library", str(tmp_path / "lib"), "--passphrase-fd", str(r), "list"])
    finally:
        os.close(r)
    err = capsys.readouterr().err
    assert code == 1 and "details not logged: the library is encrypted" in err
    assert "Ekpar" not in err and list(logs.iterdir()) == []

    # on a plain library the log holds the stack, never the message
    from workbench.cli import crypto_cmds

    monkeypatch.setitem(crypto_cmds._session, "encrypted", False)
    Library.create(tmp_path / "plain").close()
    assert cli.main(["--library", str(tmp_path / "plain"), "list"]) == 1
    log = (logs / "workbench-cli.log").read_text(encoding="utf-8")
    assert "RuntimeError" in log and "broken" in log and "Ekpar" not in log


def test_exports_refuse_the_encrypted_librarys_folder(tmp_path: Path) -> None:
    """`original` saves the exact bytes outside; it and `event export` refuse the library's
    own folder, where their plaintext would sit among the encrypted files (session 17)."""
    lib = tmp_path / "lib"
    assert wb(lib, "init", "--encrypt", secret=SECRET + "\n").returncode == 0
    src = tmp_path / "statement.txt"
    src.write_bytes(b"The witness saw the camp gate closed.\n")
    assert wb(lib, "import", str(src), secret=SECRET).returncode == 0
    _one_line_error(wb(lib, "original", "1", "-o", str(lib / "statement.txt"), secret=SECRET),
                    1, "encrypted library's folder")
    _one_line_error(wb(lib, "event", "export", "--format", "csv", "-o", str(lib / "c.csv"),
                       secret=SECRET), 1, "encrypted library's folder")
    assert not (lib / "statement.txt").exists() and not (lib / "c.csv").exists()
    run = wb(lib, "original", "1", "-o", str(tmp_path / "out.txt"), "--json", secret=SECRET)
    assert run.returncode == 0, run.stderr
    got = json.loads(run.stdout)
    assert (tmp_path / "out.txt").read_bytes() == src.read_bytes()
    assert got["bytes"] == len(src.read_bytes()) and got["recorded"] is True
    assert set(got) == {"document_id", "path", "sha256", "bytes", "recorded", "pending"}
