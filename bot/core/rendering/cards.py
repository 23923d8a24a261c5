"""The neutral reply model: what every command answers, whatever the front end.

A :class:`Reply` holds :class:`Card` s (a Discord embed, or a block of terminal
text) and :class:`Action` s (a button, or a command to type next). Card text is
written in the markup of :mod:`bot.core.rendering.markup`. Discord's embed limits are
enforced here, when a card is built with :func:`make_card`, so no front end can
be handed a card Discord would reject; :class:`Card` itself refuses oversize text.

An action is "run this command with these arguments", so a button needs no
handler of its own: the Discord side decodes :meth:`Action.custom_id` back into
a command call through the same registry the shell uses.

A ``custom_id`` is ``bb1:<command>?<urlencoded args>``. Two things keep it
within Discord's 100 characters and still restart-proof, because all the state
lives in Discord rather than in the bot's memory:

* an argument named by :attr:`Action.echo` (a long quotation) may be left
  empty in the ``custom_id``: the reply's first card shows it verbatim in the
  :data:`ECHO_FIELD` field, and the front end reads it back from the message
  the button sits on (:func:`read_echo`);
* the reserved key ``_`` carries front-end hints, not command arguments:
  ``_=p`` marks paging, whose answer replaces the message the button sits on.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal
from urllib.parse import parse_qsl, urlencode

from bot.core.rendering.markup import ELLIPSIS, escape, plain, truncate

log = logging.getLogger(__name__)

# Discord's embed limits (https://discord.com/developers/docs/resources/message#embed-object-embed-limits).
TITLE_MAX = 256
DESCRIPTION_MAX = 4096
FIELD_NAME_MAX = 256
FIELD_VALUE_MAX = 1024
FIELDS_MAX = 25
FOOTER_MAX = 2048
TOTAL_MAX = 6000  # per embed, and for all embeds of one message together
CARDS_MAX = 10  # embeds per message
ACTIONS_MAX = 25  # buttons per message (5 rows of 5)
LABEL_MAX = 80  # button label
CUSTOM_ID_MAX = 100
CUSTOM_ID_PREFIX = "bb1:"  # versioned, so old buttons can be told apart after a format change
HINT_KEY, PAGING_HINT = "_", "p"
ECHO_FIELD = "Looked up"  # the field that shows the user's own words, verbatim

Accent = Literal["info", "exact", "close", "partial", "none", "fact", "error"]
Outcome = Literal["ok", "not_found", "bad_input"]
ActionStyle = Literal["primary", "secondary", "link"]
ArgValue = str | int


@dataclass(frozen=True, slots=True)
class Field:
    name: str
    value: str
    inline: bool = False


@dataclass(frozen=True, slots=True)
class Card:
    """One embed. ``accent`` picks the colour; ``citation`` is the plain-text source
    line, for front ends that offer "copy citation"."""

    title: str
    description: str = ""
    fields: tuple[Field, ...] = ()
    footer: str = ""
    url: str | None = None
    accent: Accent = "info"
    citation: str | None = None

    def __post_init__(self) -> None:
        problems = [
            name for name, ok in (
                ("title", len(self.title) <= TITLE_MAX),
                ("description", len(self.description) <= DESCRIPTION_MAX),
                ("fields", len(self.fields) <= FIELDS_MAX),
                ("field name", all(0 < len(f.name) <= FIELD_NAME_MAX for f in self.fields)),
                ("field value", all(0 < len(f.value) <= FIELD_VALUE_MAX for f in self.fields)),
                ("footer", len(self.footer) <= FOOTER_MAX),
                ("total", self.size <= TOTAL_MAX),
            ) if not ok
        ]
        if problems:
            raise ValueError(f"card {self.title[:40]!r} breaks Discord limits: {problems}; "
                             "build cards with make_card()")

    @property
    def size(self) -> int:
        """The characters Discord counts against the 6,000 total."""
        return (len(self.title) + len(self.description) + len(self.footer)
                + sum(len(f.name) + len(f.value) for f in self.fields))


def make_card(title: str, description: str = "", fields: tuple[Field, ...] = (),
              footer: str = "", url: str | None = None, accent: Accent = "info",
              citation: str | None = None) -> Card:
    """A card with every text cut to Discord's limits, honestly marked with an ellipsis.

    Over the 6,000 total, the description gives way first, then field values from
    the last, then whole trailing fields, so the title and citation survive.
    """
    fields = tuple(Field(truncate(f.name, FIELD_NAME_MAX) or "\u200b",
                         truncate(f.value, FIELD_VALUE_MAX) or "\u200b", f.inline)
                   for f in fields)
    if len(fields) > FIELDS_MAX:
        dropped = len(fields) - FIELDS_MAX + 1
        fields = (*fields[: FIELDS_MAX - 1], Field(ELLIPSIS, f"{dropped} more not shown"))
    title, footer = truncate(title, TITLE_MAX), truncate(footer, FOOTER_MAX)
    description = truncate(description, DESCRIPTION_MAX)
    fixed = len(title) + len(footer)
    over = fixed + len(description) + sum(len(f.name) + len(f.value) for f in fields) - TOTAL_MAX
    if over > 0:
        log.debug("card %r is %d characters over the embed total; trimming", title, over)
        keep = max(len(description) - over, min(len(description), 200))
        over -= len(description) - keep
        description = truncate(description, keep)
    as_list = list(fields)
    for i in range(len(as_list) - 1, -1, -1):
        if over <= 0:
            break
        f = as_list[i]
        keep = max(len(f.value) - over, 40)
        if keep < len(f.value):
            over -= len(f.value) - len(truncate(f.value, keep))
            as_list[i] = Field(f.name, truncate(f.value, keep), f.inline)
    while over > 0 and as_list:
        gone = as_list.pop()
        over -= len(gone.name) + len(gone.value)
    return Card(title, description, tuple(as_list), footer, url, accent, citation)


@dataclass(frozen=True, slots=True)
class Action:
    """A button: run *command* with *args*. ``style="link"`` opens ``url`` instead.

    ``echo`` names the argument the reply's first card shows in :data:`ECHO_FIELD`
    (see the module docstring); ``in_place``: the answer replaces the message the
    action sits on (paging) instead of adding one. The shell ignores both.
    """

    label: str
    command: str = ""
    args: tuple[tuple[str, ArgValue], ...] = ()
    style: ActionStyle = "secondary"
    url: str | None = None
    echo: str | None = None
    in_place: bool = False

    @classmethod
    def run(cls, label: str, command: str, style: ActionStyle = "secondary", *,
            echo: str | None = None, in_place: bool = False,
            **args: ArgValue | None) -> Action:
        """An action with keyword args; ``None`` values are left out."""
        pairs = tuple((k, v) for k, v in args.items() if v is not None and v != "")
        return cls(truncate(label, LABEL_MAX), command, pairs, style, echo=echo,
                   in_place=in_place)

    @property
    def kwargs(self) -> dict[str, ArgValue]:
        return dict(self.args)

    def custom_id(self) -> str | None:
        """A Discord ``custom_id`` that encodes the whole call, or None when it
        would not fit in 100 characters even with the echoed argument left to
        the card (then the front end leaves the button out)."""
        if self.style == "link":
            return None
        hints = ((HINT_KEY, PAGING_HINT),) if self.in_place else ()
        full = self._encode((*self.args, *hints))
        if len(full) <= CUSTOM_ID_MAX:
            return full
        if self.echo is None:
            return None
        # Empty value = "read it from the card"; Action.run never keeps empty values.
        short = self._encode((*((k, "" if k == self.echo else v) for k, v in self.args),
                              *hints))
        return short if len(short) <= CUSTOM_ID_MAX else None

    def _encode(self, pairs: tuple[tuple[str, ArgValue], ...]) -> str:
        return f"{CUSTOM_ID_PREFIX}{self.command}?{urlencode(pairs)}"

    def shell_command(self) -> str:
        """The same call as a line for the shell, e.g. ``/passage dbb2025-na.overview.p6``."""
        parts = [f"/{self.command}"]
        for key, value in self.args:
            text = str(value)
            parts.append(f'{key}:"{text}"' if any(c.isspace() for c in text) else
                         f"{key}:{text}")
        return " ".join(parts)


def decode_custom_id(custom_id: str) -> tuple[str, dict[str, str]] | None:
    """``(command, args)`` from an :meth:`Action.custom_id`; None if it is not ours.
    Values come back as strings; the registry converts them like typed input. An
    empty value is an argument left to the card's :data:`ECHO_FIELD`."""
    if not custom_id.startswith(CUSTOM_ID_PREFIX) or "?" not in custom_id:
        return None
    command, _, query = custom_id[len(CUSTOM_ID_PREFIX):].partition("?")
    args = dict(parse_qsl(query, keep_blank_values=True))
    args.pop(HINT_KEY, None)
    return command, args


def pages_in_place(custom_id: str) -> bool:
    """Whether the button's answer replaces the message it sits on (paging)."""
    if not custom_id.startswith(CUSTOM_ID_PREFIX):
        return False
    query = custom_id.partition("?")[2]
    return dict(parse_qsl(query, keep_blank_values=True)).get(HINT_KEY) == PAGING_HINT


def echo_field(text: str) -> Field | None:
    """The :data:`ECHO_FIELD` showing *text* verbatim, or None if it would have to be
    cut (then it could not be read back, and is not shown either)."""
    value = escape(text)
    return Field(ECHO_FIELD, value) if 0 < len(value) <= FIELD_VALUE_MAX else None


def read_echo(fields: Iterable[tuple[str, str]]) -> str | None:
    """The user's words from a card's ``(name, value)`` fields, as :func:`echo_field`
    wrote them; None when the card has none."""
    for name, value in fields:
        if name == ECHO_FIELD:
            return plain(value)
    return None


@dataclass(frozen=True, slots=True)
class Reply:
    """Everything one command answers. ``outcome`` drives the shell's exit status;
    error replies are ephemeral so only the person who asked sees them."""

    cards: tuple[Card, ...]
    actions: tuple[Action, ...] = ()
    ephemeral: bool = False
    outcome: Outcome = "ok"

    def __post_init__(self) -> None:
        if not 0 < len(self.cards) <= CARDS_MAX:
            raise ValueError(f"a reply holds 1 to {CARDS_MAX} cards, not {len(self.cards)}")
        if len(self.actions) > ACTIONS_MAX:
            raise ValueError(f"a reply holds at most {ACTIONS_MAX} actions")
        if sum(c.size for c in self.cards) > TOTAL_MAX:
            raise ValueError(f"the cards of one reply exceed {TOTAL_MAX} characters together")

    @property
    def error(self) -> bool:
        return self.outcome != "ok"
