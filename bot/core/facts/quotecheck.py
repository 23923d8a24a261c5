"""Is a card's quote really in its document, and does its body say no more than the quote?

"Verbatim" means equal after folding whitespace and quote marks only
(:func:`~bot.core.quotes.text.fold_verbatim`): a changed word, comma or hyphen is an
error. When a quote is not verbatim, the quote engine finds the closest passage
so the message can show the editor exactly what differs.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from bot.core.errors import UserError
from bot.core.quotes.corpus import Passage
from bot.core.quotes.diff import DiffOp
from bot.core.quotes.matching import QuoteEngine
from bot.core.quotes.text import fold_verbatim, preview, tokenize

# Number words and ordinals a body could state as a figure. "one" and "first" are
# left out: they are too often not figures ("one of", "first of all").
_NUMBER_WORDS = frozenset((
    "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven",
    "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen",
    "nineteen", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety",
    "hundred", "thousand", "million", "billion", "second", "third", "fourth", "fifth",
    "sixth", "seventh", "eighth", "ninth", "tenth"))
# Capitalised month names only, so the verb "may" is not taken for a date.
_MONTH_RE = re.compile(r"\b(?:January|February|March|April|May|June|July|August|September|"
                       r"October|November|December)\b")


def figures(text: str) -> list[str]:
    """The figures and dates *text* states, normalised, in order of appearance."""
    found: list[str] = []
    for token in tokenize(text):
        if any(ch.isdigit() for ch in token.norm) or token.norm in _NUMBER_WORDS:
            found.append(token.norm)
    found += [m.group().casefold() for m in _MONTH_RE.finditer(text)]
    return list(dict.fromkeys(found))


def unquoted_figures(body: str, quote: str, allowed: Iterable[str] = ()) -> list[str]:
    """Figures in *body* that *quote* does not contain (apart from *allowed* ones)."""
    said = {t.norm for t in tokenize(quote)} | set(allowed)
    return [f for f in figures(body) if f not in said]


class QuoteChecker:
    """Finds card quotes in the corpus; folds each passage once, not once per card."""

    def __init__(self, engine: QuoteEngine) -> None:
        self.engine = engine
        self.documents = list(engine.corpus.documents)
        self._folded = [(p, fold_verbatim(p.text)) for p in engine.corpus.passages]

    def word_count(self, quote: str) -> int:
        return len(tokenize(quote))

    def edition(self, document: str) -> int | None:
        doc = self.engine.corpus.documents.get(document)
        return doc.meta.edition if doc else None

    def locate(self, document: str | None, quote: str) -> Passage | None:
        """The passage of *document* (any document when None) holding *quote* verbatim."""
        folded = fold_verbatim(quote)
        for passage, text in self._folded:
            if (document is None or passage.document_id == document) and folded in text:
                return passage
        return None

    def explain(self, document: str, quote: str) -> str | None:
        """None when *quote* is verbatim in *document*; otherwise what is wrong with it."""
        if self.locate(document, quote):
            return None
        elsewhere = self.locate(None, quote)
        if elsewhere is not None:
            return (f"the quote is not in {document} but in {elsewhere.document_id} "
                    f"({elsewhere.id}); fix source.document")
        try:
            result = self.engine.find(quote, top=0)
        except UserError as exc:
            return f"not found verbatim in {document} ({exc})"
        if result.match is None:
            return (f"not found in {document}, and no passage of the corpus resembles it "
                    f"(best score {result.score:.0f}/100); copy the words from the text")
        span = result.match
        where = "" if span.passage.document_id == document else \
            f" (in another document, {span.passage.document_id})"
        return (f"not found verbatim in {document}; closest passage {span.passage.id}{where}, "
                f"score {span.score:.0f}/100: “{preview(span.quote, 200)}”; "
                f"{describe_diff(result.diff)}")


def describe_diff(ops: Iterable[DiffOp]) -> str:
    """The word differences in one line, in the quote's order."""
    parts: list[str] = []
    for op in ops:
        if op.op == "missing":
            parts.append(f"missing “{op.source}”")
        elif op.op == "added":
            parts.append(f"not in the source “{op.query}”")
        elif op.op == "changed":
            parts.append(f"“{op.query}” should be “{op.source}”")
    if not parts:
        return "the words match, but punctuation or hyphenation differs: copy the span above"
    return "differences: " + "; ".join(parts)
