"""``workbench doctor``: which optional system tools this machine has, what each enables, and
how to add the missing ones (the report of ``workbench.system_tools``). Library-free; exits 0
whatever is missing: the app runs without them, and ``ok`` in the JSON says whether all are
there."""

from __future__ import annotations

import argparse
from typing import Any

from .common import Result, command


def register(sub: Any) -> None:
    command(sub, "doctor", cmd_doctor,
            "list the optional system tools (OCR, PDF export, the leak check's second PDF "
            "reading): which are installed, what each enables, how to add the missing ones",
            needs_library=False)


def cmd_doctor(args: argparse.Namespace) -> Result:
    from ..system_tools import report

    data = report()
    lines: list[str] = []
    for t in data["tools"]:
        if t["available"]:
            facts = [t["version"] or "version unknown"]
            if t.get("languages"):
                facts.append("languages: " + ", ".join(t["languages"]))
            lines.append(f"{t['name']}: available ({'; '.join(facts)})")
            lines.append(f"  enables: {t['enables']}")
            continue
        lines.append(f"{t['name']}: not installed" + (f" ({t['detail']})" if t["detail"] else ""))
        lines.append(f"  enables: {t['enables']}")
        lines.append(f"  without it: {t['missing_effect']}")
        lines.append(f"  to add it: {t['install']['apt']} (Debian, Ubuntu); elsewhere: "
                     f"{t['install']['other_systems']}")
    if data["ok"]:
        lines.append("Every optional tool is installed.")
    else:
        lines.append(f"To add every missing tool (Debian, Ubuntu): {data['apt']}")
    return Result(data, "\n".join(lines))
