"""The CLI imports only what the command it runs needs, so it starts quickly."""

from __future__ import annotations

import subprocess
import sys

import pytest

PROBE = ("import sys; from bot.cli import main\n"
         "try:\n    main(sys.argv[1:])\nexcept SystemExit:\n    pass\n"
         "print(' '.join(m for m in ('discord', 'numpy', 'pydantic', 'rapidfuzz')"
         " if m in sys.modules))")


def _loaded(*args: str) -> set[str]:
    out = subprocess.run([sys.executable, "-c", PROBE, *args], capture_output=True,
                         text=True, check=True).stdout.splitlines()[-1]
    return set(out.split())


def test_version_loads_no_heavy_library() -> None:
    assert _loaded("--version") == set()


@pytest.mark.parametrize("command", ["quote", "passage", "corpus"])
def test_corpus_commands_do_not_load_discord(command: str) -> None:
    assert "discord" not in _loaded(command, "--help")


def test_help_still_lists_every_command(capsys: pytest.CaptureFixture[str]) -> None:
    from bot.cli import main

    with pytest.raises(SystemExit):
        main(["--help"])
    out = capsys.readouterr().out
    for command in ("quote", "passage", "corpus", "eval", "fact", "facts", "topics", "check",
                    "shell", "run", "health"):
        assert command in out


def test_every_subcommand_imports_only_its_own_module() -> None:
    # A subcommand missing from MODULE_OF still works, but imports every module:
    # the whole CLI's start-up cost for one command.
    import argparse

    from bot.cli import MODULE_OF, build_parser

    parser = build_parser([])
    (sub,) = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
    assert set(sub.choices) <= set(MODULE_OF), set(sub.choices) - set(MODULE_OF)
