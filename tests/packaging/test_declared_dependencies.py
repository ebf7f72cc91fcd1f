"""Every third-party module Workbench imports comes from a distribution it declares.

``pip install workbench`` installs ``[project] dependencies`` and nothing else: a module that
is only in the environment because the lock or another package happened to bring it fails for
the first user without the lock. Two checks:

- every ``import``/``from … import`` in ``workbench/`` and ``ui/`` (inside functions too) whose
  top-level module is neither the standard library nor ours belongs to a distribution named in
  ``dependencies`` directly (a transitive one can vanish in any release of its parent);
- importing each of those modules loads only distributions that the declared ones require,
  their extras included (lxml's HTML cleaner became the separate ``lxml_html_clean``, reached
  only through ``lxml[html-clean]``).
"""

from __future__ import annotations

import ast
import importlib.metadata as md
import json
import re
import subprocess
import sys
import tomllib
from collections.abc import Iterable
from pathlib import Path

from packaging.requirements import Requirement

ROOT = Path(__file__).resolve().parents[2]
SOURCES = ("workbench", "ui")
OURS = {"workbench", "ui"}


def normalise(name: str) -> str:
    """PEP 503: runs of ``-``, ``_`` and ``.`` are one ``-``, case does not matter."""
    return re.sub(r"[-_.]+", "-", name).lower()


def declared() -> list[Requirement]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    return [Requirement(r) for r in project["dependencies"]]


def imports(roots: Iterable[str] = SOURCES) -> dict[str, set[str]]:
    """Absolute module names imported anywhere in ``roots`` -> the files importing them.

    ``from a import b`` gives ``a.b`` (``b`` may be a submodule); the importer tells which.
    """
    found: dict[str, set[str]] = {}
    for root in roots:
        for path in sorted((ROOT / root).rglob("*.py")):
            rel = str(path.relative_to(ROOT))
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), rel)):
                names: list[str] = []
                if isinstance(node, ast.Import):
                    names = [a.name for a in node.names]
                elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                    names = [f"{node.module}.{a.name}" for a in node.names if a.name != "*"]
                    names.append(node.module)
                for name in names:
                    found.setdefault(name, set()).add(rel)
    return found


def third_party(found: dict[str, set[str]]) -> dict[str, set[str]]:
    return {name: files for name, files in found.items()
            if name.split(".")[0] not in sys.stdlib_module_names
            and name.split(".")[0] not in OURS and name.split(".")[0] != "__future__"}


def closure(requirements: Iterable[Requirement]) -> set[str]:
    """The normalised names of the distributions ``requirements`` install, transitively, with
    the extras they ask for (markers evaluated for this interpreter)."""
    seen: set[str] = set()
    todo = [(r, "") for r in requirements]
    while todo:
        req, via_extra = todo.pop()
        if req.marker is not None and not req.marker.evaluate({"extra": via_extra}):
            continue
        name = normalise(req.name)
        key = name + "[" + ",".join(sorted(req.extras)) + "]"
        if key in seen:
            continue
        seen.add(key)
        try:
            requires = md.requires(req.name) or []
        except md.PackageNotFoundError:
            continue  # not installed here: its own needs are checked where it is
        for extra in ("", *sorted(req.extras)):
            todo.extend((Requirement(sub), extra) for sub in requires)
    return {k.split("[")[0] for k in seen}


def test_every_third_party_import_is_declared() -> None:
    dists = md.packages_distributions()
    wanted = {normalise(r.name) for r in declared()}
    missing: list[str] = []
    for name, files in sorted(third_party(imports()).items()):
        top = name.split(".")[0]
        owners = {normalise(d) for d in dists.get(top, [])}
        if not owners:
            missing.append(f"{top} (imported in {', '.join(sorted(files))}) is not installed "
                           "here: install it and declare its distribution")
        elif not owners & wanted:
            missing.append(f"{top} (imported in {', '.join(sorted(files))}) comes from "
                           f"{' or '.join(sorted(owners))}, which pyproject.toml's "
                           "[project] dependencies do not declare")
    assert not missing, "\n".join(sorted(set(missing)))


# Imports every module named on stdin (a submodule where ``from a import b`` named one) and
# prints the files of every module that was not loaded before, by top-level name. The
# top-level names in argv are hidden first, as if their distribution were not installed.
_LOADER = r"""
import importlib, importlib.abc, json, sys


class Hide(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path=None, target=None):
        if name.split(".")[0] in sys.argv[1:]:
            raise ModuleNotFoundError(f"No module named {name!r} (hidden)", name=name)
        return None


sys.meta_path.insert(0, Hide())
before = set(sys.modules)
failed = {}
for name in json.load(sys.stdin):
    try:
        importlib.import_module(name)
    except ImportError as exc:
        parent = name.rpartition(".")[0]
        if not parent or parent not in sys.modules or getattr(exc, "name", None) != name:
            failed[name] = f"{type(exc).__name__}: {exc}"
    except Exception as exc:
        failed[name] = f"{type(exc).__name__}: {exc}"
loaded = {}
for mod_name, mod in list(sys.modules.items()):
    if mod_name in before or getattr(mod, "__file__", None) is None:
        continue
    loaded.setdefault(mod_name.split(".")[0], []).append(mod.__file__)
print(json.dumps({"failed": failed, "loaded": loaded}))
"""


def owner(top: str, files: list[str], dists: dict[str, list[str]]) -> str | None:
    """The distribution whose RECORD lists one of ``files`` (several share ``PySide6``)."""
    resolved = {str(Path(f).resolve()) for f in files}
    for dist_name in dists.get(top, []):
        dist = md.distribution(dist_name)
        for entry in dist.files or []:
            if str(Path(str(dist.locate_file(entry))).resolve()) in resolved:
                return normalise(dist_name)
    return None


def load(names: list[str], hide: Iterable[str] = ()) -> dict[str, dict[str, object]]:
    out = subprocess.run([sys.executable, "-c", _LOADER, *hide], input=json.dumps(names),
                         capture_output=True, text=True, cwd=ROOT, timeout=240)
    assert out.returncode == 0, out.stderr[-3000:]
    report: dict[str, dict[str, object]] = json.loads(out.stdout.strip().splitlines()[-1])
    return report


def test_what_the_imports_load_is_installed_by_the_declared_dependencies() -> None:
    names = sorted(third_party(imports()))
    report = load(names)
    assert not report["failed"], report["failed"]
    reachable = closure(declared())
    dists = md.packages_distributions()
    unreachable: list[str] = []
    for top, files in sorted(report["loaded"].items()):
        if top in sys.stdlib_module_names or top in OURS or top not in dists:
            continue  # the standard library, ours, or an extension module of a package's own
        dist = owner(top, list(files), dists) or normalise(dists[top][0])
        if dist in reachable:
            continue
        # Loaded only because it is here (an optional import, e.g. mako's pygments plugin):
        # everything still imports without it.
        if not load(names, hide=[top])["failed"]:
            continue
        unreachable.append(
            f"{top} (from {dist}) is needed by Workbench's imports but no declared "
            "dependency installs it: declare it, or the extra of the package that needs it")
    assert not unreachable, "\n".join(unreachable)


def test_the_checks_see_a_missing_extra_and_an_undeclared_import() -> None:
    """The checks can fail: without lxml's html-clean extra the cleaner is unreachable (when
    no other declared package asks for it), a hidden distribution that an import needs is
    seen as needed, and the import walk finds imports inside functions."""
    assert "lxml-html-clean" in closure([Requirement("lxml[html-clean]")])
    assert "lxml-html-clean" not in closure([Requirement("lxml")])
    assert "trafilatura" in load(["trafilatura"], hide=["lxml_html_clean"])["failed"]
    found = imports()
    assert "workbench/redact/decode_archive.py" in found["brotli"]  # imported in a function
    assert "trafilatura" in third_party(found)
