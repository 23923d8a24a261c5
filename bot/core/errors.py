"""Problems found in user content, reported all at once with file, line and field."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass


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
