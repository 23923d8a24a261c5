"""A changed fact, and what kind of fact a word is (:mod:`.misquote` finds them)."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Literal

from bot.core.quotes.coverage import FUNCTION_WORDS
from bot.core.quotes.numbers import number_value

FactKind = Literal["number", "date", "name", "word"]
# Titles are capitalised but are not names: "leader" for "Prime Minister" is a synonym.
TITLES = frozenset(["minister", "prime", "president", "secretary", "emperor", "empress",
                    "governor", "chancellor", "king", "queen", "leader", "leaders", "chair",
                    "presidency", "administration"])
_MONTH_NAMES = ("january", "february", "march", "april", "may", "june", "july", "august",
                "september", "october", "november", "december")
# With their abbreviations: "Feb" is a month, not a name, where the passage has none.
MONTHS = frozenset([*_MONTH_NAMES, *(m[:3] for m in _MONTH_NAMES), "sept"])


@dataclass(frozen=True, slots=True)
class Change:
    query: str
    source: str
    kind: FactKind

    def as_dict(self) -> dict[str, str]:
        return {"query": self.query, "source": self.source, "kind": self.kind}


@lru_cache(maxsize=1 << 16)  # every word of every candidate's span and sentence, every query
def fact_kind(word: str, display: str) -> FactKind | None:
    if word in MONTHS or (word.isdigit() and len(word) == 4 and 1800 <= int(word) <= 2100):
        return "date"
    if number_value(word) is not None:
        return "number"
    if any(c.isdigit() for c in word) and any(c.isalpha() for c in word):
        return "name"  # G7, G20
    if display[:1].isupper() and word not in FUNCTION_WORDS and word not in TITLES \
            and len(word) > 1:  # an initial ("Joseph R. Biden") is part of a name, not one
        return "name"
    return None
