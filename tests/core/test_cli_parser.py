"""The command line builds only the sub-command it runs (issue 16, the fixed cost of a command).

Building the whole argparse tree (every command, every option) was most of what `workbench list`
spent before reading a row. `cli.parser_for(argv)` builds the named command alone; whatever it
cannot place (no command, `--help`, `--version`, an abbreviated or unknown option before the
command, an unknown command) gets the whole tree, so help and error messages are the whole
tree's, word for word.
"""

from __future__ import annotations

import argparse
import contextlib
import io

import pytest

from workbench.cli import build_parser, main, parser_for


def _subcommands(parser: argparse.ArgumentParser) -> dict[str, argparse.ArgumentParser]:
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            return dict(action.choices)
    raise AssertionError("no sub-commands")


def _run(argv: list[str]) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(argv)
    return code, out.getvalue(), err.getvalue()


FULL = build_parser()
COMMANDS = sorted(_subcommands(FULL))


@pytest.mark.parametrize("argv", [
    ["list"], ["--json", "list", "--limit", "2"], ["--library", "/x", "list"],
    ["--library=/x", "--passphrase-fd", "3", "list"], ["--passphrase-fd=3", "list", "--json"],
])
def test_a_named_command_is_built_alone(argv: list[str]) -> None:
    assert list(_subcommands(parser_for(argv))) == ["list"]


@pytest.mark.parametrize("argv", [
    [], ["--help"], ["-h"], ["--version"], ["--lib", "/x", "list"], ["--jso", "list"],
    ["lsit"], ["--library", "/x"], ["--", "list"],
])
def test_what_names_no_known_command_gets_the_whole_tree(argv: list[str]) -> None:
    assert sorted(_subcommands(parser_for(argv))) == COMMANDS


@pytest.mark.parametrize("command", COMMANDS)
def test_each_commands_help_is_unchanged(command: str) -> None:
    """`workbench CMD --help` prints what the whole tree's CMD prints."""
    code, out, err = _run([command, "--help"])
    assert (code, err) == (0, "")
    assert out == _subcommands(FULL)[command].format_help()


def test_the_top_level_help_and_an_unknown_command_are_unchanged() -> None:
    code, out, _err = _run(["--help"])
    assert (code, out) == (0, FULL.format_help())
    code, _out, err = _run(["lsit"])
    assert code == 2
    assert "invalid choice: 'lsit' (choose from " in err and "'list'" in err and "'search'" in err


def test_an_error_in_a_named_commands_options_reads_as_before() -> None:
    code, _out, err = _run(["search", "--limit", "0", "x"])
    assert code == 2
    usage = _subcommands(FULL)["search"].format_usage()
    assert err.startswith(usage) and "argument --limit" in err


def test_the_command_table_names_what_each_module_registers() -> None:
    """`cli.COMMANDS` says which module registers each command, so that a command run imports
    its own module alone; a command added to a module and not to the table fails here."""
    import importlib

    from workbench import cli

    class Recorder:
        def __init__(self) -> None:
            self.names: list[str] = []

        def add_parser(self, name: str, **kwargs: object) -> object:
            self.names += [name, *kwargs.get("aliases", ())]  # type: ignore[misc]
            return cli._IGNORED

    registered: dict[str, str] = {}
    for module in cli.MODULES:
        recorder = Recorder()
        importlib.import_module(f"workbench.cli.{module}").register(recorder)
        registered.update(dict.fromkeys(recorder.names, module))
    assert registered == cli.COMMANDS
    assert list(registered) == list(_subcommands(FULL))  # `workbench --help`'s order


def test_a_named_command_imports_its_own_module_alone() -> None:
    import subprocess
    import sys

    code = ("import sys\n"
            "from workbench.cli import parser_for\n"
            "parser_for(['--library', 'x', 'list', '--json'])\n"
            "print(' '.join(sorted(m for m in sys.modules if m.startswith('workbench.cli.'))))\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True).stdout.split()
    from workbench.cli import MODULES

    assert "workbench.cli.core_cmds" in out
    # crypto_cmds adds the global --passphrase-fd; `audit` takes history_cmds' filters
    others = {f"workbench.cli.{m}" for m in MODULES} - {
        "workbench.cli.core_cmds", "workbench.cli.crypto_cmds", "workbench.cli.history_cmds"}
    assert sorted(others & set(out)) == []
