"""WeasyPrint says nothing on the first export of a session: importing it lays out its own
style sheets and logged "Step 2 - Fetching and parsing CSS - CSS string" at INFO three times,
to the window's log and the command's stderr (session 15's walk), because the loggers were
quietened after the import, not before."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

PROBE = r"""
import logging, sys
from pathlib import Path
logging.basicConfig(level=logging.INFO, stream=sys.stdout, format="%(name)s: %(message)s")
assert "weasyprint" not in sys.modules
kind = sys.argv[1]
if kind == "layout":
    from workbench.export.pdf_layout import lay_out
    lay_out("<p>An exhibit.</p>", str(Path.cwd()))
elif kind == "capture":
    from workbench.export.capture_pdf import _write
    _write("<p>A capture.</p>", Path(sys.argv[2]), None)
else:
    from workbench.export.facsimile_overlay import weasy_stamps
    weasy_stamps([(612.0, 792.0, "Exhibit 1", None)])
print("done")
"""


@pytest.mark.parametrize("kind", ["layout", "capture", "stamps"])
def test_the_first_layout_logs_nothing_from_weasyprint(kind: str, tmp_path: Path) -> None:
    proc = subprocess.run([sys.executable, "-c", PROBE, kind, str(tmp_path / "c.pdf")],
                          capture_output=True, text=True, timeout=120,
                          cwd=str(Path(__file__).resolve().parents[2]))
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip().splitlines()[-1] == "done"
    assert "weasyprint" not in proc.stdout, proc.stdout
