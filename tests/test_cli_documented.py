"""Every command of the public command line is documented in docs/ (CLI.md or docs/cli/*.md)."""

from __future__ import annotations

import argparse
import re
from pathlib import Path

from workbench.cli import build_parser

DOCS = Path(__file__).resolve().parents[1] / "docs"


def command_paths(parser: argparse.ArgumentParser, prefix: str = "") -> list[str]:
    paths: list[str] = []
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            seen: set[int] = set()
            for name, sub in action.choices.items():
                if id(sub) in seen:
                    continue  # an alias of a command already listed
                seen.add(id(sub))
                full = f"{prefix} {name}".strip()
                nested = command_paths(sub, full)
                paths.extend(nested or [full])
    return paths


def documented_headings() -> list[str]:
    text = "\n".join(p.read_text(encoding="utf-8")
                     for p in [DOCS / "CLI.md", *sorted((DOCS / "cli").glob("*.md"))])
    return re.findall(r"^#{2,3} `([^`]+)`", text, flags=re.MULTILINE)


def test_every_command_is_documented() -> None:
    headings = documented_headings()
    paths = command_paths(build_parser())
    assert len(paths) >= 10
    missing = [p for p in paths
               if not any(h == p or h.startswith(p + " ") for h in headings)]
    assert missing == [], f"commands without a `## \\`command ...\\`` heading in docs/: {missing}"
