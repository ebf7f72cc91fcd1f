"""The standalone build's ``install.sh`` and ``uninstall.sh``, run as a user would run them.

Each test unpacks a stand-in build (a dummy ``Workbench`` program beside the real scripts,
``.desktop`` template and icon, as ``make dist`` lays them out) and runs the scripts with a
temporary ``HOME``. Where mount namespaces work, the whole filesystem except that ``HOME`` is
read-only while they run, so a write anywhere else (the build folder included) fails the test.
"""

from __future__ import annotations

import hashlib
import os
import shlex
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.support.fsconditions import unshare_problem

ROOT = Path(__file__).resolve().parents[2]
PACKAGING = ROOT / "packaging"
ICON = ROOT / "resources" / "icons" / "workbench.svg"


@dataclass
class Run:
    code: int
    out: str
    err: str


def make_build(parent: Path, version: str = "9.9.9") -> Path:
    """A folder laid out like the unpacked tar.gz: ``Workbench`` and the files beside it."""
    build = parent / f"Workbench-{version}"
    (build / "_internal").mkdir(parents=True)
    exe = build / "Workbench"
    exe.write_text('#!/bin/sh\necho "dummy Workbench $*"\n')
    exe.chmod(0o755)
    for name in ("install.sh", "uninstall.sh", "workbench.desktop"):
        shutil.copy(PACKAGING / name, build / name)
    shutil.copy(ICON, build / "workbench.svg")
    return build


def run_script(script: Path, home: Path, *, data_home: Path | None = None,
               isolate: bool = True) -> Run:
    """Run ``script`` as the user whose home is ``home``; only ``home`` (and ``data_home``)
    can be written when mount namespaces are available."""
    env = {"HOME": str(home), "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
           "LANG": "C.UTF-8"}
    if data_home is not None:
        env["XDG_DATA_HOME"] = str(data_home)
    argv = ["sh", str(script)]
    if isolate and unshare_problem() is None:
        writable = [home] + ([data_home] if data_home is not None else [])
        steps = [f"mount --bind {shlex.quote(str(w))} {shlex.quote(str(w))}" for w in writable]
        steps += ["mount -o remount,bind,ro /", "mount -o remount,bind,ro /dev/shm",
                  " ".join(map(shlex.quote, argv))]
        argv = ["unshare", "-m", "sh", "-c", " && ".join(steps)]
    proc = subprocess.run(argv, env=env, capture_output=True, text=True, timeout=60)
    return Run(proc.returncode, proc.stdout, proc.stderr)


def tree(folder: Path) -> dict[str, str]:
    """Every entry under ``folder``: a file's SHA-256, a link's target, ``dir`` for folders."""
    out: dict[str, str] = {}
    for p in sorted(folder.rglob("*")):
        rel = str(p.relative_to(folder))
        if p.is_symlink():
            out[rel] = "-> " + os.readlink(p)
        elif p.is_dir():
            out[rel] = "dir"
        else:
            out[rel] = hashlib.sha256(p.read_bytes()).hexdigest()
    return out


def desktop_entry(path: Path) -> dict[str, str]:
    lines = path.read_text(encoding="utf-8").splitlines()
    assert lines[0] == "[Desktop Entry]"
    return dict(line.split("=", 1) for line in lines[1:] if "=" in line
                and not line.startswith("#"))


def validate(desktop: Path) -> None:
    tool = shutil.which("desktop-file-validate")
    if tool is None:
        return
    proc = subprocess.run([tool, str(desktop)], capture_output=True, text=True)
    assert proc.returncode == 0 and "error" not in proc.stdout.lower(), proc.stdout + proc.stderr


@pytest.fixture
def home(tmp_path: Path) -> Path:
    path = tmp_path / "home"
    path.mkdir()
    return path


def installed_paths(home: Path) -> dict[str, Path]:
    share = home / ".local" / "share"
    return {"launcher": home / ".local" / "bin" / "workbench",
            "desktop": share / "applications" / "workbench.desktop",
            "icon": share / "icons" / "hicolor" / "scalable" / "apps" / "workbench.svg",
            "manifest": share / "Workbench" / "install-manifest.txt",
            "uninstaller": share / "Workbench" / "uninstall.sh"}


def test_install_creates_launcher_menu_entry_icon_and_manifest(tmp_path: Path,
                                                                home: Path) -> None:
    build = make_build(tmp_path / "My Apps")  # a space in the path: Exec must quote it
    before = tree(build)
    run = run_script(build / "install.sh", home)
    assert run.code == 0, run.err
    p = installed_paths(home)

    assert p["launcher"].is_symlink() and os.readlink(p["launcher"]) == str(build / "Workbench")
    launched = subprocess.run([str(p["launcher"]), "gui", "a b.pdf"], capture_output=True,
                              text=True)
    assert launched.stdout.strip() == "dummy Workbench gui a b.pdf"

    entry = desktop_entry(p["desktop"])
    assert entry["Exec"] == f'"{build}/Workbench" gui %F'
    assert entry["TryExec"] == f"{build}/Workbench"
    assert entry["Icon"] == "workbench"
    assert "application/pdf" in entry["MimeType"].split(";")
    validate(p["desktop"])
    assert p["icon"].read_bytes() == ICON.read_bytes()
    assert p["uninstaller"].read_bytes() == (PACKAGING / "uninstall.sh").read_bytes()

    # Exactly these files (and the folders holding them) appear; nothing makes Workbench the
    # default application for anything (no mimeapps.list), and the build folder is untouched.
    created = {str(q.relative_to(home)) for q in p.values()}
    files = {k for k, v in tree(home).items() if v != "dir"}
    assert files == created
    assert tree(build) == before
    manifest = p["manifest"].read_text(encoding="utf-8")
    for key in ("launcher", "desktop", "icon", "uninstaller"):
        assert f"\t{p[key]}\t" in manifest
    assert str(p["launcher"]) in run.out and "uninstall" in run.out


def test_install_twice_changes_nothing(tmp_path: Path, home: Path) -> None:
    build = make_build(tmp_path)
    assert run_script(build / "install.sh", home).code == 0
    first = tree(home)
    again = run_script(build / "install.sh", home)
    assert again.code == 0, again.err
    assert tree(home) == first


def test_moved_build_is_reinstalled_from_its_new_place(tmp_path: Path, home: Path) -> None:
    build = make_build(tmp_path / "a")
    assert run_script(build / "install.sh", home).code == 0
    moved = tmp_path / "b" / build.name
    moved.parent.mkdir()
    build.rename(moved)
    run = run_script(moved / "install.sh", home)
    assert run.code == 0, run.err
    p = installed_paths(home)
    assert os.readlink(p["launcher"]) == str(moved / "Workbench")
    assert desktop_entry(p["desktop"])["Exec"] == f'"{moved}/Workbench" gui %F'
    assert str(moved) in p["manifest"].read_text(encoding="utf-8")


def test_xdg_data_home_is_honoured(tmp_path: Path, home: Path) -> None:
    build = make_build(tmp_path)
    data = tmp_path / "xdg-data"
    data.mkdir()
    run = run_script(build / "install.sh", home, data_home=data)
    assert run.code == 0, run.err
    assert (data / "applications" / "workbench.desktop").is_file()
    assert (data / "icons/hicolor/scalable/apps/workbench.svg").is_file()
    assert (data / "Workbench" / "install-manifest.txt").is_file()
    assert (home / ".local" / "bin" / "workbench").is_symlink()
    assert not (home / ".local" / "share").exists()
    assert run_script(data / "Workbench" / "uninstall.sh", home, data_home=data).code == 0
    assert tree(data) == {}
    assert tree(home) == {}


def test_existing_launcher_and_menu_entry_of_someone_else_are_kept(tmp_path: Path,
                                                                   home: Path) -> None:
    p = installed_paths(home)
    p["launcher"].parent.mkdir(parents=True)
    p["launcher"].write_text("#!/bin/sh\n# pip install --user workbench\n")
    p["desktop"].parent.mkdir(parents=True)
    p["desktop"].write_text("[Desktop Entry]\nType=Application\nName=Other\nExec=other\n")
    before = tree(home)
    build = make_build(tmp_path)
    run = run_script(build / "install.sh", home)
    assert run.code == 0, run.err
    assert "already exists" in run.out + run.err and str(p["launcher"]) in run.out + run.err
    after = tree(home)
    for kept in ("launcher", "desktop"):
        rel = str(p[kept].relative_to(home))
        assert after[rel] == before[rel]
    assert p["icon"].is_file()  # the rest still installs
    manifest = p["manifest"].read_text(encoding="utf-8")
    assert str(p["launcher"]) not in manifest and str(p["desktop"]) not in manifest
    assert run_script(build / "uninstall.sh", home).code == 0
    assert tree(home) == before  # and uninstall leaves them alone too


def test_uninstall_removes_exactly_what_install_made(tmp_path: Path, home: Path) -> None:
    share = home / ".local" / "share"
    library = share / "Workbench" / "library"  # where platformdirs puts the default library
    (library / "originals").mkdir(parents=True)
    (library / "workbench-library.json").write_text('{"format": 1}')
    (library / "workbench.sqlite").write_bytes(b"SQLite format 3\0" + bytes(100))
    (library / "originals" / "ab12").write_bytes(b"%PDF-1.4 witness statement")
    other = share / "applications" / "other-app.desktop"
    other.parent.mkdir(parents=True)
    other.write_text("[Desktop Entry]\nType=Application\nName=Other\nExec=other %F\n"
                     "MimeType=application/pdf;\n")
    (share / "applications" / "mimeinfo.cache").write_text(
        "[MIME Cache]\napplication/pdf=other-app.desktop;\n")
    (home / ".local" / "bin").mkdir(parents=True)
    (home / ".local" / "bin" / "tool").write_text("#!/bin/sh\n")
    before = tree(home)

    build = make_build(tmp_path)
    assert run_script(build / "install.sh", home).code == 0
    if shutil.which("update-desktop-database"):  # a cache already there is kept current
        cache = (share / "applications" / "mimeinfo.cache").read_text()
        assert "workbench.desktop" in cache
    run = run_script(build / "uninstall.sh", home)
    assert run.code == 0, run.err
    after = tree(home)
    cache_rel = ".local/share/applications/mimeinfo.cache"
    if shutil.which("update-desktop-database"):
        assert "workbench.desktop" not in (home / cache_rel).read_text()
        before.pop(cache_rel), after.pop(cache_rel)
    assert after == before
    assert str(library) in run.out  # says where the libraries it kept are


def test_uninstall_keeps_what_changed_since_install(tmp_path: Path, home: Path) -> None:
    build = make_build(tmp_path)
    assert run_script(build / "install.sh", home).code == 0
    p = installed_paths(home)
    p["desktop"].write_text(p["desktop"].read_text() + "X-Edited=true\n")
    p["launcher"].unlink()
    p["launcher"].symlink_to("/usr/bin/true")  # now someone else's
    run = run_script(p["uninstaller"], home)  # the copy kept beside the manifest
    assert run.code == 0, run.err
    assert p["desktop"].is_file() and "X-Edited" in p["desktop"].read_text()
    assert os.readlink(p["launcher"]) == "/usr/bin/true"
    assert not p["icon"].exists() and not p["manifest"].exists()
    assert not p["uninstaller"].exists()
    assert "changed since" in run.out + run.err


def test_uninstall_without_install_says_so(tmp_path: Path, home: Path) -> None:
    build = make_build(tmp_path)
    run = run_script(build / "uninstall.sh", home)
    assert run.code == 0
    assert "not installed" in run.out
    assert tree(home) == {}


def test_install_outside_a_build_folder_says_what_to_do(tmp_path: Path, home: Path) -> None:
    folder = tmp_path / "loose"
    folder.mkdir()
    shutil.copy(PACKAGING / "install.sh", folder / "install.sh")
    run = run_script(folder / "install.sh", home)
    assert run.code != 0
    assert "Workbench" in run.err and "unpacked" in run.err
    assert tree(home) == {}


def test_desktop_template_is_valid() -> None:
    if shutil.which("desktop-file-validate") is None:
        pytest.skip("desktop-file-validate is not installed (Debian package "
                    "desktop-file-utils)")
    validate(PACKAGING / "workbench.desktop")
