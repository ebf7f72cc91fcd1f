"""Worker processes start from this installation: ``python -m`` from source, the ``Workbench``
executable's internal switch in the standalone build.

The frozen cases run a stand-in for the frozen executable: a script that starts the real
entry point (``workbench.frozen.main``) with the arguments it is given, so the command the
parent builds and the dispatch the child does are both the real ones; only PyInstaller's
bootloader is missing (``packaging/smoke_test.py`` runs the real build).
"""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from workbench.extract.base import ExtractOptions
from workbench.extract.isolation import ExtractorPool, Limits
from workbench.subprocess_cmd import INTERNAL_SWITCH, module_command, run_internal, standalone_call

PYTHON = sys.executable


@pytest.fixture
def frozen_exe(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """``sys.executable`` is a Workbench binary (the entry point), as in the frozen build."""
    exe = tmp_path / "Workbench"
    exe.write_text("#!/bin/sh\n"  # sys.frozen: what PyInstaller's bootloader sets
                   f'exec "{PYTHON}" -c "import sys; sys.frozen = True; '
                   'from workbench.frozen import main; main()" "$@"\n')
    exe.chmod(exe.stat().st_mode | stat.S_IXUSR)
    monkeypatch.setattr(sys, "frozen", True, raising=False)
    monkeypatch.setattr(sys, "executable", str(exe))
    return exe


def test_source_mode_is_python_dash_m(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delattr(sys, "frozen", raising=False)
    assert module_command("workbench.extract.worker", "42") == [
        PYTHON, "-m", "workbench.extract.worker", "42"]


def test_source_mode_layout_worker_stays_isolated(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delattr(sys, "frozen", raising=False)
    cmd = standalone_call("workbench.export.pdf_layout", "serve")
    assert cmd[:2] == [PYTHON, "-I"]  # no current folder, no user site on sys.path
    import workbench.export.pdf_layout as layout

    assert cmd[-2:] == [str(Path(layout.__file__).resolve()), "serve"]


def test_frozen_mode_uses_the_executable_and_the_internal_switch(frozen_exe: Path) -> None:
    assert module_command("workbench.extract.worker", "42", "plug") == [
        str(frozen_exe), INTERNAL_SWITCH, "module", "workbench.extract.worker", "42", "plug"]
    assert standalone_call("workbench.export.pdf_layout", "serve") == [
        str(frozen_exe), INTERNAL_SWITCH, "call", "workbench.export.pdf_layout", "serve"]


def test_an_ordinary_command_line_is_not_internal() -> None:
    run_internal(["init", "--json"])  # returns: the CLI handles it
    run_internal([])


def test_internal_switch_misuse_is_one_line_and_exit_2(capsys: pytest.CaptureFixture[str]
                                                        ) -> None:
    with pytest.raises(SystemExit) as exc:
        run_internal([INTERNAL_SWITCH, "bogus"])
    assert exc.value.code == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "internal" in err and "Traceback" not in err


def test_call_runs_the_module_file_without_importing_its_package(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    pkg = tmp_path / "heavypkg"
    pkg.mkdir()
    (pkg / "__init__.py").write_text("raise RuntimeError('the package must not be imported')\n")
    marker = tmp_path / "ran.txt"
    (pkg / "job.py").write_text(
        "import sys\n"
        f"def serve():\n    open({str(marker)!r}, 'w').write(__name__ + ' ' + sys.argv[0])\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.setattr(sys, "argv", ["pytest"])  # the worker sets its own
    try:
        with pytest.raises(SystemExit) as exc:
            run_internal([INTERNAL_SWITCH, "call", "heavypkg.job", "serve"])
    finally:
        sys.modules.pop("__workbench_worker__", None)
    assert exc.value.code in (0, None)
    name, argv0 = marker.read_text().split(" ")
    assert name != "heavypkg.job" and "heavypkg" not in sys.modules
    assert argv0.endswith("job.py")


def test_frozen_extractor_worker_starts_from_the_executable(frozen_exe: Path,
                                                            tmp_path: Path) -> None:
    doc = tmp_path / "note.txt"
    doc.write_text("Extracted through the frozen entry point.\n", encoding="utf-8")
    with ExtractorPool(1, Limits(timeout=60)) as pool:
        result = pool.extract(doc, ExtractOptions(kind="text"))
        assert pool._all[0].proc.args[:2] == [str(frozen_exe), INTERNAL_SWITCH]
    assert "frozen entry point" in "".join(result.pages)


def test_frozen_layout_worker_starts_from_the_executable(frozen_exe: Path) -> None:
    from workbench.export.pdf_layout import LayoutPool

    with LayoutPool(1) as pool:
        worker = pool.workers[0]
        assert worker._proc.args[:2] == [str(frozen_exe), INTERNAL_SWITCH]  # type: ignore
        worker.submit("<html><body><p>One page from the frozen layout worker.</p></body></html>",
                      "file:///")
        part = worker.result()
    assert part.pages == 1 and part.pdf.startswith(b"%PDF")



@pytest.mark.parametrize(("original", "after"), [("/usr/local/lib", "/usr/local/lib"),
                                                  (None, None)])
def test_system_programs_get_the_users_library_path(monkeypatch: pytest.MonkeyPatch,
                                                    original: str | None,
                                                    after: str | None) -> None:
    """The bootloader's LD_LIBRARY_PATH (the build's own libraries) is not handed on to
    tesseract or soffice: the user's own value (or none) is."""
    from workbench.frozen import _unshadow_system_libraries

    monkeypatch.setattr(sys, "frozen", True, raising=False)
    monkeypatch.setenv("LD_LIBRARY_PATH", "/opt/Workbench-1/_internal")
    if original is None:
        monkeypatch.delenv("LD_LIBRARY_PATH_ORIG", raising=False)
    else:
        monkeypatch.setenv("LD_LIBRARY_PATH_ORIG", original)
    _unshadow_system_libraries()
    assert os.environ.get("LD_LIBRARY_PATH") == after
    assert "LD_LIBRARY_PATH_ORIG" not in os.environ


def test_a_worker_hands_system_programs_the_users_library_path(
        frozen_exe: Path, tmp_path: Path) -> None:
    """An extractor worker runs tesseract: it must not pass on the build's library path
    that the bootloader set for the worker itself."""
    (tmp_path / "probe_env.py").write_text(
        "import os, sys\n"
        "open(sys.argv[1], 'w').write(repr(os.environ.get('LD_LIBRARY_PATH')))\n")
    seen = tmp_path / "seen.txt"
    env = {**os.environ, "PYTHONPATH": str(tmp_path),
           "LD_LIBRARY_PATH": "/opt/Workbench-1/_internal"}
    env.pop("LD_LIBRARY_PATH_ORIG", None)
    subprocess.run(module_command("probe_env", str(seen)), env=env, check=True, timeout=60)
    assert seen.read_text() == "None"
