"""Word-level comparison of a quotation with the corpus words it matched.

A typo ("aliance") counts as the same word for alignment but is still reported
as changed, so ``/verify`` can show exactly what the person got wrong.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from rapidfuzz.distance import OSA, Levenshtein

from bot.core.quotes.text import Token

DiffKind = Literal["equal", "missing", "added", "changed", "gap"]


@dataclass(frozen=True, slots=True)
class DiffOp:
    """``missing``: in the source, not in the quote; ``added``: the reverse;
    ``changed``: different words in the same place; ``gap``: an ellipsis in the quote."""

    op: DiffKind
    query: str
    source: str

    def as_dict(self) -> dict[str, str]:
        return {"op": self.op, "query": self.query, "source": self.source}


def is_typo(a: str, b: str) -> bool:
    """Whether *a* is *b* mistyped: one edit (a swap counts as one) in words of 4+
    letters, two in words of 8+. Short words must match exactly."""
    if a == b:
        return True
    shortest = min(len(a), len(b))
    if shortest < 4 or not (a.isalpha() and b.isalpha()):
        return False
    return OSA.distance(a, b, score_cutoff=2) <= (2 if shortest >= 8 else 1)


def _canonical(query: Sequence[str], source: Sequence[str]) -> list[str]:
    """*query* with each mistyped word replaced by the source word it stands for:
    the first one in the source, as :func:`is_typo` would find scanning it."""
    known = set(source)
    # Only source words that is_typo could accept are tried: alphabetic, 4+ letters,
    # each once (the first occurrence is the one a scan would find).
    spelled = [s for s in dict.fromkeys(source) if len(s) >= 4 and s.isalpha()]
    out = []
    for word in query:
        if word not in known and len(word) >= 4 and word.isalpha():
            n = len(word)
            word = next((s for s in spelled if abs(len(s) - n) <= 2 and OSA.distance(
                word, s, score_cutoff=2) <= (2 if min(n, len(s)) >= 8 else 1)), word)
        out.append(word)
    return out


@dataclass(frozen=True, slots=True)
class WordStats:
    query_words: int
    source_words: int
    matched: int  # same word, or the same word mistyped
    identical: bool  # every word the same, in the same order


def word_stats(query: Sequence[str], source: Sequence[str]) -> WordStats:
    # Counted as multisets, not in order: a swapped pair of words is still the
    # same words (order is already judged by the character score).
    matched = sum((Counter(_canonical(query, source)) & Counter(source)).values())
    return WordStats(len(query), len(source), matched, list(query) == list(source))


def word_diff(query: Sequence[Token], query_text: str,
              source: Sequence[Token], source_text: str) -> list[DiffOp]:
    """The edit script from the quotation's words to the source's, as display text."""
    qn, sn = [t.norm for t in query], [t.norm for t in source]
    canon = _canonical(qn, sn)

    def q(i: int, j: int) -> str:
        return query_text[query[i].start:query[j - 1].end] if j > i else ""

    def s(i: int, j: int) -> str:
        return source_text[source[i].start:source[j - 1].end] if j > i else ""

    ops: list[DiffOp] = []
    for code in Levenshtein.opcodes(canon, sn):
        tag, i1, i2 = code.tag, code.src_start, code.src_end
        j1, j2 = code.dest_start, code.dest_end
        if tag == "equal":
            run = i1
            for k in range(i1, i2):  # split the run where a word was mistyped
                if qn[k] != sn[j1 + k - i1]:
                    if k > run:
                        ops.append(DiffOp("equal", q(run, k), s(j1 + run - i1, j1 + k - i1)))
                    ops.append(DiffOp("changed", q(k, k + 1), s(j1 + k - i1, j1 + k - i1 + 1)))
                    run = k + 1
            if i2 > run:
                ops.append(DiffOp("equal", q(run, i2), s(j1 + run - i1, j2)))
        elif tag == "replace":
            ops.append(DiffOp("changed", q(i1, i2), s(j1, j2)))
        elif tag == "delete":
            ops.append(DiffOp("added", q(i1, i2), ""))
        else:
            ops.append(DiffOp("missing", "", s(j1, j2)))
    return ops
