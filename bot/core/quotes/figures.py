"""Figures and dates: whether two of them stand for the same thing, so that
different values are a change (:mod:`.misquote`)."""

from __future__ import annotations

from collections.abc import Sequence

from bot.core.quotes.change import MONTHS, Change, fact_kind
from bot.core.quotes.coverage import FUNCTION_WORDS, stem
from bot.core.quotes.numbers import number_value
from bot.core.quotes.text import Token

# Units of time, in years: "six decades" is "60 years", "seven decades" is not.
_YEARS = {"year": 1.0, "years": 1.0, "yrs": 1.0, "decade": 10.0, "decades": 10.0,
          "century": 100.0, "centuries": 100.0, "month": 1 / 12, "months": 1 / 12}


def same_setting(a: Token, query: Sequence[Token], b: Token, source: Sequence[Token]) -> bool:
    """Whether two figures stand for the same thing, so that different values are a
    change: the same word after (or before) them, or units of time on both sides
    with different amounts ("seven decades" for "60 years")."""
    i, j = query.index(a), source.index(b)
    after = (query[i + 1].norm if i + 1 < len(query) else "",
             source[j + 1].norm if j + 1 < len(source) else "")
    before = (query[i - 1].norm if i else "", source[j - 1].norm if j else "")
    if after[0] != after[1] and after[0] in _YEARS and after[1] in _YEARS:
        qv, sv = number_value(a.norm), number_value(b.norm)
        return bool(qv and sv and qv[1] * _YEARS[after[0]] != sv[1] * _YEARS[after[1]])
    return (after[0] == after[1] and after[0] != "") or (before[0] == before[1] != "")


def _same_words_around(a: Token, query: Sequence[Token], b: Token,
                       source: Sequence[Token]) -> bool:
    """Whether two figures far apart in the alignment stand in the same words: the
    same content word beside them, or the same two words ("summit meetings", "in
    March with"). Units of time compare their amounts ("six decades", "60 years")."""
    i, j = query.index(a), source.index(b)
    def stems(tokens: Sequence[Token]) -> list[str]:
        return [stem(t.norm) for t in tokens]  # "summits", "summit"
    q_before, s_before = stems(query[max(i - 2, 0):i]), stems(source[max(j - 2, 0):j])
    q_after, s_after = stems(query[i + 1:i + 3]), stems(source[j + 1:j + 3])
    units = (query[i + 1].norm if i + 1 < len(query) else "",
             source[j + 1].norm if j + 1 < len(source) else "")
    if units[0] != units[1] and units[0] in _YEARS and units[1] in _YEARS:
        return same_setting(a, query, b, source)
    if q_after[:1] == s_after[:1] != [] and q_after[0] not in FUNCTION_WORDS:
        return True
    if q_before[-1:] == s_before[-1:] != [] and q_before[-1] not in FUNCTION_WORDS:
        return True
    return (len(q_before) == 2 and q_before == s_before) or (len(q_after) == 2
                                                            and q_after == s_after)


def figures_in_their_words(query: Sequence[Token], query_text: str,
                            context: Sequence[Token], source_text: str, span: set[str],
                            said: set[str]) -> list[tuple[Token, Change]]:
    """Figures the sentence has nowhere, where it has another in the same words:
    "four summit meetings" past a dropped clause the alignment could not pair across,
    "January 2023" in a reordered sentence. *span*: the words of the aligned span;
    *said*: the figures already changed."""
    in_query = {t.norm for t in query}
    out: list[tuple[Token, Change]] = []
    for a in query:
        kind = fact_kind(a.norm, "")
        if kind not in ("number", "date") or a.norm in span or query_text[a.start:a.end] in said:
            continue
        # The sentence has it in the same words: moved, not changed. Elsewhere in other
        # words, it may still be a change here ("April 2022" where the sentence has
        # "in 2022" and "April 2024").
        if any(t.norm == a.norm and _same_words_around(a, query, t, context) for t in context):
            continue
        other = next((t for t in context if fact_kind(t.norm, "") == kind
                      and t.norm not in in_query and (t.norm in MONTHS) == (a.norm in MONTHS)
                      and _same_words_around(a, query, t, context)), None)
        if other is not None:
            out.append((a, Change(query_text[a.start:a.end],
                                  source_text[other.start:other.end], kind)))
    return out
