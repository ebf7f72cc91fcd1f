"""Which files an import names: the paths given, folders walked, symbolic links judged.

A folder from someone else (an unpacked archive, a colleague's USB stick) can hold links such
as ``passwd.txt -> /etc/passwd``; following them would import, and later bundle, files the
user never chose. So inside a folder a link is followed only when what it points to lies in
the same folder (a link to a folder that contains it, a loop, never), unless the user asks
for ``follow_links``. A path given directly is the user's own choice and is read whatever it
is. Every link not followed comes back as a ``Found`` with the reason, for the import report;
a followed link carries its target, for the collection record.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from .extract.base import NOT_FOUND, PERMISSION, UNREADABLE

LINK_NOT_FOLLOWED = "link not followed"
IGNORED_NAMES = {".DS_Store", "Thumbs.db", "desktop.ini"}


@dataclass(frozen=True)
class Found:
    """A file to plan, or a link that was not followed (``refused`` says why)."""

    path: Path
    link_target: Path | None = None  # the real file, when read through a link
    refused: str | None = None  # a failure status (LINK_NOT_FOLLOWED, NOT_FOUND)
    reason: str | None = None


def walk(paths: Iterable[Path], follow_links: bool = False) -> Iterator[Found]:
    for path in paths:
        target = _target(path)
        if path.is_dir():
            root = Path(os.path.realpath(path))
            yield from _Walk(root, follow_links).folder(path, target, {root})
        else:
            yield Found(path, target)


def _target(path: Path) -> Path | None:
    return Path(os.path.realpath(path)) if path.is_symlink() else None


def _inside(target: Path, root: Path) -> bool:
    return target == root or root in target.parents


def _is_dir(entry: os.DirEntry[str]) -> bool:
    try:
        return entry.is_dir()  # follows a link: a link to a folder walks as a folder
    except OSError:
        return False


class _Walk:
    """One folder given by the user, walked in name order, files before sub-folders."""

    def __init__(self, root: Path, follow_links: bool) -> None:
        self.root = root
        self.follow_links = follow_links
        # Folders entered through a link: each once, so links cannot multiply the walk.
        self.linked: set[Path] = set()

    def folder(self, folder: Path, via: Path | None, ancestors: set[Path]) -> Iterator[Found]:
        """``via``: the real folder when this one was reached through a link."""
        try:
            entries = sorted(os.scandir(folder), key=lambda e: e.name)
        except OSError as exc:
            status = PERMISSION if isinstance(exc, PermissionError) else UNREADABLE
            yield Found(folder, via, status,
                        f"the folder could not be read ({exc.strerror or exc})")
            return
        for entry in entries:
            if not _is_dir(entry) and entry.name not in IGNORED_NAMES:
                path = Path(entry.path)
                if entry.is_symlink():
                    yield self.file_link(path)
                else:  # under a folder link: name the real file
                    yield Found(path, Path(os.path.realpath(path)) if via else None)
        for entry in entries:
            if not _is_dir(entry):
                continue
            path = Path(entry.path)
            real = Path(os.path.realpath(path))
            if not entry.is_symlink():
                yield from self.folder(path, via, ancestors | {real})
                continue
            refusal = self.folder_link_refusal(path, real, ancestors)
            if refusal:
                yield refusal
                continue
            self.linked.add(real)
            yield from self.folder(path, real, ancestors | {real})

    def file_link(self, path: Path) -> Found:
        raw = os.readlink(path)
        target = Path(os.path.realpath(path))
        if not target.exists():
            return Found(path, target, NOT_FOUND, f"a link to {raw}, which does not exist")
        if self.follow_links or _inside(target, self.root):
            return Found(path, target)
        return Found(path, target, LINK_NOT_FOLLOWED,
                     f"a link to {target}, outside the folder being imported; not followed "
                     "(import it by name, or use --follow-links)")

    def folder_link_refusal(self, path: Path, real: Path, ancestors: set[Path]) -> Found | None:
        def refused(reason: str) -> Found:
            return Found(path, real, LINK_NOT_FOLLOWED, f"a link to the folder {real}, {reason}")

        if any(_inside(a, real) for a in ancestors):
            return refused("which contains the link (a loop); not followed")
        if not (self.follow_links or _inside(real, self.root)):
            return refused("outside the folder being imported; not followed (import it by "
                           "name, or use --follow-links)")
        if real in self.linked:
            return refused("already read through another link; not followed again")
        return None
