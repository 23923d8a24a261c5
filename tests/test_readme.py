"""Every example in the README does what it says.

Examples are the shell code blocks (each command, ``\\`` continuations joined and
``&&`` chains split) and the inline code in prose that is a ``bluebook-bot …``
command or a shell line (``/quote …``, ``/help``). Table rows are synopses
(``/passage id``, ``bluebook-bot quote "TEXT" [--top K]``), not examples; so is
anything with a placeholder (``[…]``, ``<pid>``, ``…``) or a bare command name
that needs options (``/match`` mentioned in prose). The few examples that need
Discord, Docker or the network are skipped, each with its reason.
"""

from __future__ import annotations

import contextlib
import io
import os
import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest

from bot.app.commands import REGISTRY
from bot.cli import build_parser
from bot.storage.config_file import parse_config_text

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")
BIN = Path(sys.executable).parent
QUOTATION = "the us is japans only ally\n"
_FENCE_RE = re.compile(r"^```(\w*)\n(.*?)^```", re.M | re.S)
_SPAN_RE = re.compile(r"`([^`\n]+)`")
_PLACEHOLDER_RE = re.compile(r"\[|\]|<[^>]*>|…|\.\.\.")

# Why an example is not run here. Each needs something a test cannot have.
SKIPS = {
    "python3 -m venv .venv": "creates a virtual environment (CI's own first step)",
    ".venv/bin/pip install": "installs packages from the network",
    ".venv/bin/python -m pytest": "runs this test suite (from inside itself)",
    "DISCORD_TOKEN=": "connects to Discord",
    "docker ": "needs Docker",
    "/daily": "needs a Discord server and channel",
    # .ci/run itself starts and stops this server around the tests, so CI runs it.
    'eval "$(bash .ci/postgres.sh start)"': "starts a PostgreSQL server (a step of .ci/run)",
    "bash .ci/postgres.sh stop": "stops the server the line before starts (a step of .ci/run)",
    "bluebook-bot health": "needs a running bot's heartbeat (tests/exts/test_health.py has one)",
}


def _code_blocks(lang: str) -> list[str]:
    return [body for kind, body in _FENCE_RE.findall(README) if kind == lang]


def block_commands() -> list[str]:
    """Each command of the shell blocks, comments dropped and chains split."""
    out = []
    for body in _code_blocks("sh"):
        for line in body.replace("\\\n", " ").splitlines():
            line = re.sub(r"\s+#.*$", "", line).strip()
            out += [part.strip() for part in line.split(" && ") if part.strip()]
    return out


def prose_spans() -> list[str]:
    prose = re.sub(_FENCE_RE, "", README)
    lines = [line for line in prose.splitlines() if not line.lstrip().startswith("|")]
    return [m for line in lines for m in _SPAN_RE.findall(line)]


def _is_shell_line(span: str) -> bool:
    parts = span[1:].split()
    if not span.startswith("/") or not parts or _PLACEHOLDER_RE.search(span):
        return False
    command = REGISTRY.get(parts[0].lower())
    if command is None:
        return parts[0] == "daily"  # a group only Discord has; skipped with its reason
    needs_options = any(p.required for p in command.params)
    return len(parts) > 1 or not needs_options  # a bare name that needs options is a mention


def _is_cli_mention(span: str) -> bool:
    """`bluebook-bot import` in prose names a command that needs arguments: a mention."""
    parser = build_parser()
    try:
        with contextlib.redirect_stderr(io.StringIO()):
            parser.parse_args(span.split()[1:])
    except SystemExit:
        return True
    return False


def inline_examples() -> list[str]:
    out = []
    for span in prose_spans():
        if span.startswith("bluebook-bot ") and not _PLACEHOLDER_RE.search(span):
            if not _is_cli_mention(span):
                out.append(span)
        elif _is_shell_line(span):
            out.append(f'bluebook-bot shell -c "{span}"')
    return list(dict.fromkeys(out))


def examples() -> list[str]:
    return list(dict.fromkeys([*block_commands(), *inline_examples()]))


def _why_skipped(command: str) -> str | None:
    tool = command.split()[0]
    if tool.startswith(".venv/bin/") and not (BIN / tool.removeprefix(".venv/bin/")).exists():
        # The quick start installs '.[test]' only; the development tools come with '.[dev]'.
        return f"needs {tool.removeprefix('.venv/bin/')}, installed with '.[dev]'"
    if "://" in command:
        return "fetches from the network (tests/cli/test_import_cmd.py imports from a local server)"
    for start, why in SKIPS.items():
        if command.startswith(start) or (start == "/daily" and start in command):
            return why
    return None


def test_the_readme_has_the_examples_this_test_expects() -> None:
    found = examples()
    for expected in ('bluebook-bot shell -c "/quote the us is japans only ally"',
                     'bluebook-bot shell -c "/search japan page:2"', "bluebook-bot check",
                     '.venv/bin/bluebook-bot shell -c "/quote the us is japans only ally"',
                     "docker build -t bluebook-bot ."):
        assert expected in found
    assert not any(e.startswith("/match") or "/passage id" in e for e in found)


@pytest.mark.parametrize("command", examples())
def test_every_readme_example_works(command: str, tmp_path: Path) -> None:
    why = _why_skipped(command)
    if why is not None:
        pytest.skip(f"{why}: {command}")
    env = {**os.environ, "PATH": f"{BIN}{os.pathsep}{os.environ['PATH']}",
           "BLUEBOOK_CACHE_DIR": str(tmp_path / "cache"), "XDG_STATE_HOME": str(tmp_path),
           "MYPY_CACHE_DIR": str(tmp_path / "mypy"), "RUFF_CACHE_DIR": str(tmp_path / "ruff")}
    env.pop("BLUEBOOK_CONFIG", None)
    # `.venv/bin/…` is this test run's environment; commands run from the checkout
    # (as the README's readers do) but any file they write goes to tmp_path.
    line = command.replace(".venv/bin/", f"{BIN}/")
    # Any standard input is a quotation, or for the shell a line that looks one up.
    done = subprocess.run(["bash", "-c", line], cwd=ROOT, env=env, capture_output=True,
                          text=True, timeout=600, check=False,
                          input=("/quote " if " shell" in line else "") + QUOTATION)
    assert done.returncode == 0, f"{command}\n{done.stdout[-2000:]}\n{done.stderr[-2000:]}"
    assert "Traceback" not in done.stderr
    out = done.stdout + done.stderr
    assert "There is only 1 page" not in out and "internal error" not in out
    assert not (ROOT / "data").exists() or not any((ROOT / "data").iterdir())


def test_the_configuration_example_is_a_valid_config(tmp_path: Path) -> None:
    blocks = [b for b in _code_blocks("yaml") if b.startswith("discord:")]
    configs = [parse_config_text(block, "README.md", tmp_path) for block in blocks]
    assert configs[0].discord.guilds == [123456789012345678]


def test_the_cache_is_where_the_readme_says(tmp_path: Path) -> None:
    assert "`$BLUEBOOK_CACHE_DIR/bluebook-bot/`" in README
    env = {**os.environ, "BLUEBOOK_CACHE_DIR": str(tmp_path)}
    subprocess.run([BIN / "bluebook-bot", "quote", "the us is japans only ally"], env=env,
                   check=True, capture_output=True, timeout=300)
    assert list((tmp_path / "bluebook-bot").glob("*.bbidx"))


def test_shell_lines_are_quoted_safely() -> None:
    for example in inline_examples():
        assert shlex.split(example)  # every generated command is valid shell
