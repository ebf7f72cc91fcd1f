"""``packaging/install-system-deps.sh`` run for real, as root and as an unprivileged user.

The Debian tools it calls are stand-ins first on ``PATH``: ``dpkg-query`` reports the packages
named in a state file as missing, ``apt-get`` logs its arguments and "installs" (removes the
packages from the state file), ``sudo`` either works without a password (``sudo -n true``
succeeds) or asks for one (fails, as for a user who is not an administrator). Everything else
(bash, grep, id) is the real thing, and the unprivileged runs really are another user
(``setpriv`` to nobody), so ``id -u`` is not faked.

Also: the package list's structure (every package in a required or optional group that names
its feature), and that the packages the app's own report names are in that list.
"""

from __future__ import annotations

import os
import shutil
import stat
import subprocess
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PACKAGING = ROOT / "packaging"
NOBODY = 65534

DPKG_QUERY = """#!/bin/sh
# dpkg-query -W -f='${Status}' PKG: missing when PKG is a line of $FAKE_STATE
pkg=$(for a; do last=$a; done; echo "$last")
if grep -qx "$pkg" "$FAKE_STATE"; then
  echo "dpkg-query: no packages found matching $pkg" >&2
  exit 1
fi
printf 'install ok installed'
"""
APT_GET = """#!/bin/sh
echo "apt-get uid=$(id -u) $*" >> "$FAKE_LOG"
[ -e "$FAKE_DIR/apt-fails" ] && exit 100
if [ "$1" = install ]; then
  for a; do
    case $a in
      -*|install) ;;
      *) grep -vx "$a" "$FAKE_STATE" > "$FAKE_STATE.new"; cat "$FAKE_STATE.new" > "$FAKE_STATE";;
    esac
  done
fi
exit 0
"""
SUDO = """#!/bin/sh
echo "sudo $*" >> "$FAKE_LOG"
if [ ! -e "$FAKE_DIR/sudo-works" ]; then echo "sudo: a password is required" >&2; exit 1; fi
[ "$1" = -n ] && shift
exec "$@"
"""


@dataclass
class Run:
    code: int
    out: str  # stdout and stderr together, as `make` shows them
    log: list[str]
    still_missing: list[str]


class Machine:
    """A folder any user can use: the script and its list, the stand-in tools, the state."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.bin = folder / "bin"
        self.bin.mkdir()
        for name, text in (("dpkg-query", DPKG_QUERY), ("apt-get", APT_GET), ("sudo", SUDO)):
            (self.bin / name).write_text(text)
            (self.bin / name).chmod(0o755)
        pack = folder / "packaging"
        pack.mkdir()
        for name in ("install-system-deps.sh", "debian-packages.txt"):
            shutil.copy(PACKAGING / name, pack / name)
        self.script = pack / "install-system-deps.sh"
        self.state = folder / "missing.txt"
        self.log = folder / "log.txt"
        for path in (self.state, self.log):
            path.write_text("")
            path.chmod(0o666)
        folder.chmod(0o777)

    def run(self, missing: list[str], *, as_root: bool = False, sudo_works: bool = False,
            apt_fails: bool = False) -> Run:
        self.state.write_text("".join(f"{p}\n" for p in missing))
        self.log.write_text("")
        for flag, on in (("sudo-works", sudo_works), ("apt-fails", apt_fails)):
            (self.folder / flag).unlink(missing_ok=True)
            if on:
                (self.folder / flag).write_text("")
        env = {"PATH": f"{self.bin}:/usr/sbin:/usr/bin:/sbin:/bin", "FAKE_STATE": str(self.state),
               "FAKE_LOG": str(self.log), "FAKE_DIR": str(self.folder), "LANG": "C.UTF-8"}
        argv = ["bash", str(self.script)]
        if not as_root and os.geteuid() == 0:
            argv = ["setpriv", f"--reuid={NOBODY}", f"--regid={NOBODY}", "--clear-groups",
                    *argv]
        proc = subprocess.run(argv, env=env, cwd=self.folder, capture_output=True, text=True,
                              timeout=60)
        return Run(proc.returncode, proc.stdout + proc.stderr,
                   self.log.read_text().splitlines(), self.state.read_text().split())


@pytest.fixture
def machine() -> Iterator[Machine]:
    # Not pytest's tmp_path: its folders are private to root, and the script must also run
    # as nobody.
    folder = Path(tempfile.mkdtemp(prefix="wb-sysdeps-"))
    try:
        yield Machine(folder)
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def needs_root() -> None:
    if os.geteuid() != 0:
        pytest.skip("runs the script as root and as another user: needs root")


# --- the package list ---------------------------------------------------------------------


def groups() -> list[tuple[str, str, list[str]]]:
    """(kind, feature, packages) of each group of debian-packages.txt, as the script reads it."""
    out: list[tuple[str, str, list[str]]] = []
    for raw in (PACKAGING / "debian-packages.txt").read_text().splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith("["):
            kind, _, feature = line[1:].partition("]")
            out.append((kind, feature.strip(), []))
        else:
            assert out, f"package {line!r} comes before any [required] or [optional] group"
            out[-1][2].append(line)
    return out


def required() -> list[str]:
    return [p for kind, _, pkgs in groups() if kind == "required" for p in pkgs]


def test_every_package_is_in_a_group_that_names_its_feature() -> None:
    found = groups()
    assert {kind for kind, _, _ in found} == {"required", "optional"}
    for kind, feature, pkgs in found:
        assert len(feature) > 10, f"a [{kind}] group says what it is for"
        assert pkgs, f"the group {feature!r} lists packages"
    names = [p for _, _, pkgs in found for p in pkgs]
    assert len(names) == len(set(names)), "a package is listed twice"
    # What the window cannot start without is required; the tools of optional features not.
    assert {"libgl1", "libxcb-cursor0", "libfontconfig1"} <= set(required())
    assert not {"tesseract-ocr", "poppler-utils", "libreoffice-writer-nogui", "xvfb",
                "libpango-1.0-0"} \
        & set(required())


def test_the_apps_own_report_names_listed_packages() -> None:
    from workbench.system_tools import TOOLS

    listed = {p for _, _, pkgs in groups() for p in pkgs}
    for tool in TOOLS:
        assert tool.debian and set(tool.debian) <= listed, tool.name


# --- the script ---------------------------------------------------------------------------


def test_nothing_missing_does_nothing(machine: Machine) -> None:
    needs_root()
    run = machine.run([])
    assert run.code == 0, run.out
    assert run.log == []


def test_optional_missing_without_sudo_says_what_is_unavailable_and_carries_on(
        machine: Machine) -> None:
    needs_root()
    run = machine.run(["tesseract-ocr", "poppler-utils"])
    assert run.code == 0, run.out
    assert "OCR" in run.out and "pdftotext" in run.out
    assert "sudo apt-get install -y tesseract-ocr poppler-utils" in run.out
    assert not any(line.startswith("apt-get") for line in run.log), "no install was tried"
    assert run.still_missing == ["tesseract-ocr", "poppler-utils"]


def test_required_missing_without_sudo_stops_with_the_line_for_an_administrator(
        machine: Machine) -> None:
    needs_root()
    run = machine.run(["libgl1", "libxcb-cursor0", "tesseract-ocr"])
    assert run.code == 1, run.out
    assert "sudo apt-get install -y libgl1 libxcb-cursor0\n" in run.out
    assert "Setup stops here" in run.out
    assert "OCR" in run.out  # the optional one is still named, with its own line
    assert "sudo apt-get install -y tesseract-ocr" in run.out
    assert not any(line.startswith("apt-get") for line in run.log)


def test_with_passwordless_sudo_everything_missing_is_installed(machine: Machine) -> None:
    needs_root()
    run = machine.run(["libgl1", "tesseract-ocr"], sudo_works=True)
    assert run.code == 0, run.out
    assert "sudo -n true" in run.log  # asked without a password, never waiting for one
    installs = [line for line in run.log if line.startswith("sudo") and " install " in line]
    assert installs and "apt-get install" in installs[0]
    assert installs[0].split()[-2:] == ["libgl1", "tesseract-ocr"]
    assert run.still_missing == []


def test_as_root_it_installs_without_sudo(machine: Machine) -> None:
    needs_root()
    run = machine.run(["poppler-utils", "libpango-1.0-0"], as_root=True)
    assert run.code == 0, run.out
    assert not any(line.startswith("sudo") for line in run.log)
    assert any(line.startswith("apt-get uid=0 install") and line.endswith(
        "libpango-1.0-0 poppler-utils") for line in run.log), run.log
    assert run.still_missing == []


def test_a_failed_install_stops_only_for_required_packages(machine: Machine) -> None:
    needs_root()
    run = machine.run(["tesseract-ocr"], as_root=True, apt_fails=True)
    assert run.code == 0, run.out
    assert "OCR" in run.out and "apt-get install -y tesseract-ocr" in run.out
    run = machine.run(["libgl1"], as_root=True, apt_fails=True)
    assert run.code == 1, run.out
    assert "apt-get install -y libgl1" in run.out


def test_the_script_is_executable_bash() -> None:
    script = PACKAGING / "install-system-deps.sh"
    assert script.read_text().startswith("#!/usr/bin/env bash")
    assert script.stat().st_mode & stat.S_IRUSR


def test_a_test_needing_a_missing_program_skips_saying_how_to_add_it_or_fails_in_ci(
        monkeypatch: pytest.MonkeyPatch) -> None:
    from tests.support.tools import require_program

    monkeypatch.setattr(shutil, "which", lambda *a, **k: None)
    monkeypatch.delenv("CI", raising=False)
    with pytest.raises(pytest.skip.Exception, match="poppler-utils"):
        require_program("pdftotext")
    with pytest.raises(pytest.skip.Exception, match="libreoffice-writer-nogui"):
        require_program("soffice")
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception, match="CI must have it"):
        require_program("pdftotext")
