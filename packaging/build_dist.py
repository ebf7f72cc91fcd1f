"""Build the standalone Linux app: ``dist/Workbench-<version>-linux-<arch>.tar.gz``.

Run with the project's virtual environment (``make dist``): PyInstaller freezes the app as
``packaging/workbench.spec`` says, this script strips the libraries that carry their symbols,
adds the desktop files (install.sh, uninstall.sh, workbench.desktop, the icon) beside the
``Workbench`` program and packs one top-level folder, ``Workbench-<version>/``, into the
archive. It prints what it made as one JSON object (sizes, seconds).
"""

from __future__ import annotations

import json
import os
import platform
import re
import shutil
import struct
import subprocess
import sys
import tarfile
import time
from importlib.metadata import version as installed_version
from pathlib import Path

import spec_common  # packaging/, beside this script: the one reader of the version

ROOT = Path(__file__).resolve().parents[1]
PACKAGING = ROOT / "packaging"
WORK = ROOT / "build" / "pyinstaller"
STAGING = ROOT / "build" / "dist"
OUT = ROOT / "dist"
# Beside the program in the unpacked folder: (source, name there); the ones missing are
# skipped (each is optional for the app itself).
EXTRAS = [
    (PACKAGING / "install.sh", "install.sh"),
    (PACKAGING / "uninstall.sh", "uninstall.sh"),
    (PACKAGING / "workbench.desktop", "workbench.desktop"),
    (ROOT / "resources" / "icons" / "workbench.svg", "workbench.svg"),
]


def project_version() -> str:
    version = spec_common.version()
    # The build carries the installed distribution's metadata (the frozen app's version comes
    # from it): it must be this checkout's.
    installed = installed_version("workbench")
    if installed != version:
        sys.exit(f"build_dist: the installed workbench is {installed}, pyproject.toml says "
                 f"{version}: run `make setup` first")
    return version


def _has_symbols(path: Path) -> bool:
    """Whether ``path`` is a 64-bit ELF file with a symbol table (.symtab) to strip."""
    try:
        with open(path, "rb") as fh:
            head = fh.read(64)
            if len(head) < 64 or head[:4] != b"\x7fELF" or head[4] != 2:
                return False
            (shoff,) = struct.unpack_from("<Q", head, 0x28)
            shentsize, shnum = struct.unpack_from("<HH", head, 0x3A)
            fh.seek(shoff)
            table = fh.read(shentsize * shnum)
    except OSError:
        return False
    return any(struct.unpack_from("<I", table, i * shentsize + 4)[0] == 2  # SHT_SYMTAB
               for i in range(len(table) // max(shentsize, 1)))


def strip_symbols(folder: Path) -> int:
    """Strip the symbol tables of the build's libraries; the bytes saved.

    Libraries a wheel vendors in a ``<name>.libs`` folder are left alone: auditwheel
    rewrote them with patchelf, and strip breaks such files ("ELF load command
    address/offset not page-aligned" when numpy loads its OpenBLAS). PyInstaller's own
    ``strip`` option strips everything, so the spec leaves it off.
    """
    saved = 0
    for path in sorted(folder.rglob("*")):
        if (not path.is_file() or path.is_symlink() or
                any(part.endswith(".libs") for part in path.relative_to(folder).parts) or
                not _has_symbols(path)):
            continue
        before = path.stat().st_size
        subprocess.run(["strip", "--strip-unneeded", str(path)], check=True)
        saved += before - path.stat().st_size
    return saved


def _needed(path: Path) -> list[str]:
    out = subprocess.run(["readelf", "-d", str(path)], capture_output=True, text=True).stdout
    return re.findall(r"\(NEEDED\)\s+Shared library: \[(.+?)\]", out)


def _loaded_only_when_it_applies(path: Path) -> bool:
    # Qt's plugins, and the Wayland client libraries only its Wayland plugins load.
    return "/Qt/plugins/" in str(path) or path.name.startswith(("libQt6Wayland", "libQt6Wl"))


def system_libraries(folder: Path) -> list[str]:
    """The libraries the build links to but leaves to the system (see the spec's top).

    Each must be on this machine; a library that is in neither place is an error, except for
    what Qt loads only when it applies (its plugins; the Wayland ones on Wayland).
    """
    files = [p for p in folder.rglob("*") if p.is_file() and not p.is_symlink()]
    bundled = {p.name for p in folder.rglob("*")}
    cache = subprocess.run(["/sbin/ldconfig", "-p"], capture_output=True, text=True).stdout
    on_system = {line.split()[0] for line in cache.splitlines()[1:] if line.strip()}
    used: set[str] = set()
    unresolved: dict[str, str] = {}
    for path in files:
        with open(path, "rb") as fh:
            if fh.read(4) != b"\x7fELF":
                continue
        for lib in _needed(path):
            if lib in bundled:
                continue
            used.add(lib)
            if lib not in on_system and not _loaded_only_when_it_applies(path):
                unresolved[lib] = str(path.relative_to(folder))
    if unresolved:
        sys.exit(f"build_dist: libraries linked but found neither in the build nor on this "
                 f"system: {unresolved}")
    return sorted(used)


def folder_size(folder: Path) -> int:
    return sum(p.lstat().st_size for p in folder.rglob("*") if not p.is_dir())


def main() -> None:
    started = time.monotonic()
    version = project_version()
    name = f"Workbench-{version}"
    arch = platform.machine()
    for stale in (STAGING,):
        shutil.rmtree(stale, ignore_errors=True)
    subprocess.run([sys.executable, "-m", "PyInstaller", "--noconfirm", "--log-level", "WARN",
                    "--workpath", str(WORK), "--distpath", str(STAGING),
                    str(PACKAGING / "workbench.spec")], check=True, cwd=ROOT)
    frozen_s = time.monotonic() - started
    app = STAGING / name
    (STAGING / "Workbench").rename(app)
    stripped = strip_symbols(app)
    from_system = system_libraries(app)
    for source, target in EXTRAS:
        if source.is_file():
            shutil.copy2(source, app / target)
    OUT.mkdir(exist_ok=True)
    archive = OUT / f"{name}-linux-{arch}.tar.gz"
    partial = archive.with_suffix(".partial")
    with tarfile.open(partial, "w:gz", compresslevel=6) as tar:
        tar.add(app, arcname=name)
    os.replace(partial, archive)
    print(json.dumps({
        "archive": str(archive.relative_to(ROOT)),
        "archive_mb": round(archive.stat().st_size / 1e6, 1),
        "unpacked_mb": round(folder_size(app) / 1e6, 1),
        "stripped_mb": round(stripped / 1e6, 1),
        "pyinstaller_s": round(frozen_s, 1),
        "build_s": round(time.monotonic() - started, 1),
        "system_libraries": from_system,
    }, indent=2))


if __name__ == "__main__":
    main()
