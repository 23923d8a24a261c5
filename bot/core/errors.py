"""Problems found in user content, reported all at once with file, line and field."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, Protocol

Loc = tuple[str | int, ...]


@dataclass(frozen=True, slots=True)
class Problem:
    """One error in a content or config file: where it is, and what is wrong."""

    file: str
    line: int | None
    where: str  # the key path or card id, e.g. "documents[1].edition" or "card 'only-ally'"
    message: str

    def __str__(self) -> str:
        loc = f"{self.file}:{self.line}" if self.line else self.file
        return f"{loc}: {self.where}: {self.message}" if self.where else f"{loc}: {self.message}"


class ContentError(Exception):
    """Raised when content fails validation; carries every problem, not just the first."""

    def __init__(self, problems: Iterable[Problem]) -> None:
        self.problems = list(problems)
        super().__init__("\n".join(str(p) for p in self.problems))


class UserError(Exception):
    """An expected failure caused by the user's input (unknown id, empty query, ...)."""


class LineLookup(Protocol):
    """Anything that can say on which line a key path sits (e.g. ``yamlfile.LineMap``)."""

    def line(self, loc: Loc) -> int | None: ...


def format_loc(loc: Loc) -> str:
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def pydantic_problems(exc: Any, name: str, lines: LineLookup, prefix: Loc = ()) -> list[Problem]:
    """Turn a ``pydantic.ValidationError`` into problems with lines and key paths.

    It lives in the core (not beside the YAML reader) so pure validators can use it.
    """
    problems = []
    for err in exc.errors():
        loc: Loc = (*prefix, *err["loc"])
        message = err["msg"]
        if err["type"] == "extra_forbidden":
            message = "unknown key"
        problems.append(Problem(name, lines.line(loc), format_loc(loc), message))
    return problems
