"""``bluebook-bot shell``: the bot's commands in a terminal, no token, no network.

Lines are parsed into the same raw option values Discord would send, and run
through the same registry, so what works here works in Discord. Commands are
written with or without the leading ``/``; options as positional words or
``name:value``; for /quote, /verify and /search the rest of the line is the text.
"""

from __future__ import annotations

import contextlib
import logging
import os
import re
import shutil
import sys
from collections.abc import Iterable
from pathlib import Path
from typing import Literal, TextIO

from bot import __version__
from bot.app.autocomplete import complete
from bot.app.commands import REGISTRY
from bot.app.registry import Command, Param, Registry
from bot.app.services import Services
from bot.core.errors import UserError
from bot.core.rendering.cards import Action, Reply
from bot.core.rendering.render_text import render
from bot.core.rendering.replies import error_reply
from bot.core.rendering.wrap import wrap_text

log = logging.getLogger(__name__)

EXIT_CODES = {"ok": 0, "not_found": 1, "bad_input": 2}
QUIT = frozenset({"quit", "exit"})
PROMPT = "bluebook> "
# A next step's number: ASCII digits only ("²" and "٣" are digits to str.isdigit but
# not to int()), and few of them, so a 5,000-digit line is never converted.
_STEP_NUMBER_RE = re.compile(r"[0-9]+")
_MAX_STEP_DIGITS = 4
_TOKEN_RE = re.compile(
    r"""(?P<key>[A-Za-z_][\w-]*):(?P<val>"[^"]*"|'[^']*'|\S*)"""
    r"""|(?P<quoted>"[^"]*"|'[^']*')|(?P<word>\S+)""")


def _unquote(text: str) -> str:
    if len(text) >= 2 and text[0] == text[-1] and text[0] in "\"'":
        return text[1:-1]
    return text


def parse_line(line: str, registry: Registry = REGISTRY) -> tuple[str, dict[str, str]]:
    """``(command name, raw options)`` from one shell line; UserError on bad usage."""
    line = line.strip().removeprefix("/")
    name, _, rest = line.partition(" ")
    name = name.lower()
    command = registry.get(name)
    if command is None:
        return name, {}
    options: dict[str, str] = {}
    positional: list[tuple[str, str]] = []  # (value, raw text)
    for m in _TOKEN_RE.finditer(rest):
        key = m.group("key")
        if key is not None and command.param(key) is not None:
            options[key] = _unquote(m.group("val"))
        else:
            positional.append((_unquote(m.group()), m.group()))
    rest_param = next((p for p in command.params if p.rest), None)
    if rest_param is not None:
        # The raw words, so apostrophes in "Japan's" are never taken for quoting.
        text = " ".join(raw for _, raw in positional)
        if text and rest_param.name not in options:
            options[rest_param.name] = _unquote(text)
        return command.name, options
    free = [p for p in command.params if p.name not in options]
    if len(positional) > len(free):
        raise UserError(f"Too many arguments for /{command.name}. Usage: {command.usage}")
    for param, (value, _) in zip(free, positional, strict=False):
        options[param.name] = value
    return command.name, options


def completions(registry: Registry, services: Services, buffer: str, text: str) -> list[str]:
    """Tab completions for *text*, the word under the cursor, given the line so far."""
    before = buffer[: len(buffer) - len(text)] if buffer.endswith(text) else buffer
    if not before.strip():
        slash = "/" if text.startswith("/") else ""
        names = [*registry.names, *sorted(QUIT)]
        return [f"{slash}{n}" for n in names if n.startswith(text.lstrip("/").lower())]
    command = registry.get(before.split()[0])
    if command is None:
        return []
    key, colon, value = text.partition(":")
    if colon and command.param(key) is not None:
        param = command.param(key)
        assert param is not None
        found = [f"{key}:{c.value}" for c in complete(services, param.autocomplete, value)]
        # readline replaces the word with a common prefix: only prefix matches make sense.
        return [f for f in found if f.startswith(text) and " " not in f]
    out = [f"{p.name}:" for p in command.params if p.name.startswith(text) and not p.rest]
    positional = _next_positional(command, before)
    if positional is not None and positional.autocomplete:
        out += [c.value for c in complete(services, positional.autocomplete, text)]
    return [f for f in out if f.startswith(text) and " " not in f]


def readline_matches(shell: Shell, buffer: str, text: str) -> list[str]:
    """:func:`completions` as readline takes them: a finished word (a command, an
    id, a topic) ends with a space, so the next one can be typed at once, as in any
    shell; ``name:`` does not, since its value follows. CPython's readline appends
    nothing itself (it sets the append character to none)."""
    found = completions(shell.registry, shell.services, buffer, text)
    return [f if f.endswith(":") else f + " " for f in found]


def _next_positional(command: Command, before: str) -> Param | None:
    if any(p.rest for p in command.params):
        return None
    given = [w for w in before.split()[1:] if ":" not in w]
    free = [p for p in command.params if f"{p.name}:" not in before]
    return free[len(given)] if len(given) < len(free) else None


class Shell:
    """Runs lines against the registry and prints the replies."""

    def __init__(self, services: Services, registry: Registry = REGISTRY, *,
                 out: TextIO | None = None, err: TextIO | None = None,
                 ansi: bool = False, width: int | Literal["terminal"] | None = None) -> None:
        """*width*: wrap replies to that many columns, to the terminal's current
        width (``"terminal"``, read at each reply so a resize is followed), or not."""
        self.services, self.registry = services, registry
        self.out, self.err = out or sys.stdout, err or sys.stderr
        self.ansi, self.width = ansi, width
        self.actions: tuple[Action, ...] = ()

    def reply_for(self, line: str) -> Reply | None:
        """The reply to one line; None for a blank line or a comment."""
        line = line.strip()
        if not line or line.startswith("#"):
            return None
        if _STEP_NUMBER_RE.fullmatch(line) and self.actions:
            number = int(line) if len(line.lstrip("0")) <= _MAX_STEP_DIGITS else 0
            if not 1 <= number <= len(self.actions):
                return error_reply(f"The last reply offered choices 1 to {len(self.actions)}.")
            action = self.actions[number - 1]
            return self.registry.run(self.services, action.command, action.kwargs)
        try:
            name, options = parse_line(line, self.registry)
        except UserError as exc:
            return error_reply(str(exc))
        return self.registry.run(self.services, name, options)

    def execute(self, line: str) -> int:
        """Run one line, print its reply; the exit status it would have with ``-c``."""
        try:
            reply = self.reply_for(line)
        except Exception:  # one broken command must not end a session
            log.exception("command failed: %s", line[:200])
            print("bluebook-bot: internal error (details above); other commands still work.",
                  file=self.err)
            return 2
        if reply is None:
            return 0
        self.actions = reply.actions  # numbers refer to the latest reply only
        stream = self.out if reply.outcome == "ok" else self.err
        print(wrap_text(render(reply, self.ansi), self.columns()) + "\n", file=stream)
        stream.flush()
        return EXIT_CODES[reply.outcome]

    def columns(self) -> int | None:
        if self.width == "terminal":
            return shutil.get_terminal_size().columns
        return self.width

    def run_lines(self, lines: Iterable[str]) -> int:
        """Piped input: one command per line, no prompt; the worst exit status."""
        status = 0
        for line in lines:
            if line.strip().lstrip("/").lower() in QUIT:
                break
            status = max(status, self.execute(line))
        return status

    def banner(self) -> str:
        corpus = self.services.engine.corpus
        deck = self.services.deck
        facts = (f"{len(deck)} fact cards" if deck is not None and len(deck)
                 else f"fact cards unavailable ({self.services.facts_problem or 'none loaded'})")
        return (f"Bluebook Bot {__version__} · {len(corpus)} passages in "
                f"{len(corpus.documents)} documents · {facts}\n"
                "Type /help for commands, Tab to complete, /quit or Ctrl-D to leave.\n")

    def interact(self) -> int:
        """The interactive loop, with line editing, history and completion."""
        history = _setup_readline(self)
        print(self.banner(), file=self.out)
        try:
            while True:
                try:
                    line = input(PROMPT)
                except KeyboardInterrupt:
                    print(file=self.out)  # Ctrl-C clears the line, like a normal shell
                    continue
                except EOFError:
                    print(file=self.out)
                    return 0
                if line.strip().lstrip("/").lower() in QUIT:
                    return 0
                self.execute(line)
        finally:
            _save_history(history)


def history_path() -> Path:
    """``$BLUEBOOK_HISTORY``, else ``$XDG_STATE_HOME/bluebook-bot/shell_history``."""
    explicit = os.environ.get("BLUEBOOK_HISTORY")
    if explicit:
        return Path(explicit)
    state = os.environ.get("XDG_STATE_HOME") or str(Path.home() / ".local" / "state")
    return Path(state) / "bluebook-bot" / "shell_history"


def _setup_readline(shell: Shell) -> Path | None:
    try:
        import readline
    except ImportError:  # Windows without pyreadline: plain input() still works
        return None
    readline.set_completer_delims(" \t\n")

    def completer(text: str, state: int) -> str | None:
        try:
            found = readline_matches(shell, readline.get_line_buffer()[: readline.get_endidx()],
                                     text)
        except Exception:
            log.debug("completion failed", exc_info=True)
            return None
        return found[state] if state < len(found) else None

    readline.set_completer(completer)
    binding = "bind ^I rl_complete" if "libedit" in (readline.__doc__ or "") else "tab: complete"
    readline.parse_and_bind(binding)
    path = history_path()
    readline.set_history_length(1000)
    with contextlib.suppress(OSError):  # no history yet, or unreadable: start fresh
        readline.read_history_file(path)
    return path


def _save_history(path: Path | None) -> None:
    if path is None:
        return
    try:
        import readline

        path.parent.mkdir(parents=True, exist_ok=True)
        readline.write_history_file(path)
    except (ImportError, OSError) as exc:
        log.debug("history not saved to %s: %s", path, exc)
