"""Declaring commands once, for every front end.

A :class:`Command` carries what Discord needs to register a slash command (name,
description, typed options with autocomplete) and what the shell needs to parse
a line (which option takes the rest of the line). :meth:`Registry.run` validates
raw arguments the same way for both, and turns expected failures into replies.

An *internal* command is reachable only from buttons and the shell's numbered
next steps (and by typing it in the shell): it is not synced to Discord, listed
by help or completed, because its arguments (a character offset, a match's rank)
are not something a person types. Iterating a registry yields public commands.
"""

from __future__ import annotations

import inspect
import logging
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Literal

from rapidfuzz import process

from bot.app.services import Services
from bot.core.errors import UserError
from bot.core.rendering.cards import Reply, decode_custom_id
from bot.core.rendering.replies import error_reply

log = logging.getLogger(__name__)

MAX_OPTION_CHARS = 1000
DESCRIPTION_MAX = 100  # Discord's limit for command and option descriptions
ParamKind = Literal["text", "int"]
Value = str | int
Handler = Callable[..., Reply]


class NotFound(UserError):
    """The thing asked for does not exist; *suggestions* are the nearest that do."""

    def __init__(self, message: str, suggestions: Sequence[str] = ()) -> None:
        super().__init__(message)
        self.suggestions = tuple(suggestions)


def did_you_mean(text: str, options: Sequence[str], limit: int = 3) -> list[str]:
    """The *options* closest to *text*, best first."""
    hits = process.extract(text, options, limit=limit, score_cutoff=55)
    return [str(hit[0]) for hit in hits]


@dataclass(frozen=True, slots=True)
class Param:
    """One option. ``rest``: in the shell, the words left on the line fill it
    (``/quote the us is japans only ally``). ``autocomplete`` names a provider in
    :data:`bot.app.autocomplete.PROVIDERS`."""

    name: str
    description: str
    kind: ParamKind = "text"
    required: bool = False
    autocomplete: str | None = None
    rest: bool = False
    min_value: int | None = None
    max_value: int | None = None
    max_length: int = MAX_OPTION_CHARS

    @property
    def py_type(self) -> type:
        return int if self.kind == "int" else str

    def convert(self, value: object, command: str) -> Value:
        if self.kind == "int":
            try:
                number = int(str(value).strip())
            except ValueError:
                raise UserError(f"/{command} {self.name} must be a whole number, "
                                f"not {str(value)[:40]!r}.") from None
            low = self.min_value if self.min_value is not None else number
            high = self.max_value if self.max_value is not None else number
            if not low <= number <= high:
                raise UserError(f"/{command} {self.name} must be between {low} and {high}.")
            return number
        text = str(value).strip()
        if len(text) > self.max_length:
            raise UserError(f"The {self.name} is {len(text):,} characters long; "
                            f"/{command} takes at most {self.max_length:,}.")
        return text


@dataclass(frozen=True, slots=True)
class Command:
    name: str
    params: tuple[Param, ...]
    handler: Handler
    internal: bool = False

    @property
    def description(self) -> str:
        """The handler's docstring summary: the help text and the slash command description."""
        doc = inspect.getdoc(self.handler) or self.name
        return " ".join(doc.split("\n\n")[0].split())

    @property
    def usage(self) -> str:
        parts = [f"/{self.name}"]
        parts += [p.name if p.required else f"[{p.name}]" for p in self.params]
        return " ".join(parts)

    def param(self, name: str) -> Param | None:
        return next((p for p in self.params if p.name == name), None)

    def bind(self, raw: Mapping[str, object]) -> dict[str, Value]:
        """Checked, typed keyword arguments for the handler from raw option values."""
        for key in raw:
            if self.param(key) is None:
                names = ", ".join(p.name for p in self.params) or "none"
                raise UserError(f"/{self.name} has no option {key!r} (its options: {names}). "
                                f"Usage: {self.usage}")
        bound: dict[str, Value] = {}
        for p in self.params:
            value = raw.get(p.name)
            if value is None or (isinstance(value, str) and not value.strip()):
                if p.required:
                    raise UserError(f"/{self.name} needs {p.name} ({p.description}). "
                                    f"Usage: {self.usage}")
                continue
            bound[p.name] = p.convert(value, self.name)
        return bound


class Registry:
    """Commands by name, in declaration order (the order help lists them)."""

    def __init__(self) -> None:
        self._commands: dict[str, Command] = {}

    def command(self, *params: Param, internal: bool = False) -> Callable[[Handler], Handler]:
        """Decorator: declare the decorated handler as a command named after it."""
        def register(handler: Handler) -> Handler:
            name = handler.__name__.rstrip("_")
            if name in self._commands:
                raise ValueError(f"command /{name} declared twice")
            self._commands[name] = Command(name, params, handler, internal)
            return handler
        return register

    def __iter__(self) -> Iterator[Command]:
        """The public commands: what Discord syncs and help lists."""
        return (c for c in self._commands.values() if not c.internal)

    def __len__(self) -> int:
        return sum(1 for _ in self)

    def get(self, name: str) -> Command | None:
        """Any command by name, internal ones included."""
        return self._commands.get(name.lower().lstrip("/"))

    @property
    def names(self) -> list[str]:
        return [c.name for c in self]

    @property
    def internal_names(self) -> list[str]:
        return [c.name for c in self._commands.values() if c.internal]

    def run(self, services: Services, name: str, args: Mapping[str, object]) -> Reply:
        """Run command *name* with raw *args*. Bad input and unknown things come back
        as error replies (``outcome`` says which), so front ends never see UserError."""
        command = self.get(name)
        if command is None:
            return error_reply(f"There is no command /{name}.", did_you_mean(name, self.names),
                               title="Unknown command")
        try:
            return command.handler(services, **command.bind(args))
        except NotFound as exc:
            return error_reply(str(exc), exc.suggestions, not_found=True)
        except UserError as exc:
            return error_reply(str(exc))

    def run_custom_id(self, services: Services, custom_id: str,
                      echo: str | None = None) -> Reply | None:
        """The reply for a button made from an :class:`~bot.core.rendering.cards.Action`, or
        None if *custom_id* is not one of ours. *echo*: the user's words read from
        the message the button sits on, for an argument the custom_id left empty."""
        decoded = decode_custom_id(custom_id)
        if decoded is None:
            return None
        name, args = decoded
        left = [key for key, value in args.items() if value == ""]
        if left and not echo:
            return error_reply("This button's words are no longer on its message; "
                               "type the command again.")
        return self.run(services, name, {**args, **dict.fromkeys(left, echo)})
