"""Changed facts: the figures, dates and names a quotation gets wrong.

A misquote is a sentence of the corpus with one or two facts changed ("five
summit meetings" where the source says three). Such a quotation is *found*, so
that the reader sees the error; it is never a close match. A fact counts as
changed only when the quotation's word is absent from the span (a reordered
fact is not a changed one) and the source's word is absent from the quotation;
equivalent forms (sixty/60, US/United States) are equal before this runs
(:mod:`bot.core.quotes.variants`), and a typo of a name is not a change.
"""

from __future__ import annotations

from collections.abc import Container, Sequence
from dataclasses import dataclass
from functools import lru_cache
from itertools import pairwise
from typing import Literal

from rapidfuzz.distance import Levenshtein

from bot.core.quotes.coverage import FUNCTION_WORDS, GENERAL, stem
from bot.core.quotes.diff import is_typo
from bot.core.quotes.numbers import number_value
from bot.core.quotes.synonyms import has_opposite, opposite, synonym_stems
from bot.core.quotes.text import Token, sentence_initial, tokenize

FactKind = Literal["number", "date", "name", "word"]
# Titles are capitalised but are not names: "leader" for "Prime Minister" is a synonym.
TITLES = frozenset(["minister", "prime", "president", "secretary", "emperor", "empress",
                    "governor", "chancellor", "king", "queen", "leader", "leaders", "chair",
                    "presidency", "administration"])
NAME_WORDS = 4
_NAME_GLUE = frozenset(["of", "the"])
SWAP_KEPT = 0.6
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
def _kind(word: str, display: str) -> FactKind | None:
    if word in MONTHS or (word.isdigit() and len(word) == 4 and 1800 <= int(word) <= 2100):
        return "date"
    if number_value(word) is not None:
        return "number"
    if any(c.isdigit() for c in word) and any(c.isalpha() for c in word):
        return "name"  # G7, G20
    if display[:1].isupper() and word not in FUNCTION_WORDS and word not in TITLES:
        return "name"
    return None


# Short forms of given names: "Joe Biden" is "Joseph Biden", not a changed name.
_SHORT_FORMS = {"joe": "joseph", "bill": "william", "will": "william", "bob": "robert",
                "rob": "robert", "jim": "james", "jimmy": "james", "mike": "michael",
                "tony": "anthony", "ben": "benjamin", "dick": "richard", "rick": "richard",
                "ted": "edward", "ed": "edward", "kate": "katherine", "liz": "elizabeth",
                "jack": "john", "don": "donald", "chris": "christopher", "dan": "daniel",
                "nick": "nicholas", "alex": "alexander", "sam": "samuel", "tom": "thomas",
                "steve": "stephen", "matt": "matthew", "pete": "peter", "andy": "andrew",
                "larry": "lawrence", "hank": "henry", "al": "albert", "fred": "frederick"}


@lru_cache(maxsize=1 << 16)
def _related(a: str, b: str) -> bool:
    """Japan/Japanese, America/American, Japan's/Japanese, Joe/Joseph: one name, not
    a change."""
    if is_typo(a, b) or _SHORT_FORMS.get(a) == b or _SHORT_FORMS.get(b) == a:
        return True
    a, b = _possessive(a), _possessive(b)
    return min(len(a), len(b)) >= 4 and (a.startswith(b) or b.startswith(a))


def _possessive(word: str) -> str:
    """"japans" (Japan's, once normalised) -> "japan"."""
    return word[:-1] if len(word) > 4 and word.endswith("s") else word


# Units of time, in years: "six decades" is "60 years", "seven decades" is not.
_YEARS = {"year": 1.0, "years": 1.0, "yrs": 1.0, "decade": 10.0, "decades": 10.0,
          "century": 100.0, "centuries": 100.0, "month": 1 / 12, "months": 1 / 12}


def _same_setting(a: Token, query: Sequence[Token], b: Token, source: Sequence[Token]) -> bool:
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
    q, s = [stem(t.norm) for t in query], [stem(t.norm) for t in source]  # "summits", "summit"
    q_before, s_before = q[max(i - 2, 0):i], s[max(j - 2, 0):j]
    q_after, s_after = q[i + 1:i + 3], s[j + 1:j + 3]
    units = (query[i + 1].norm if i + 1 < len(query) else "",
             source[j + 1].norm if j + 1 < len(source) else "")
    if units[0] != units[1] and units[0] in _YEARS and units[1] in _YEARS:
        return _same_setting(a, query, b, source)
    if q_after[:1] == s_after[:1] != [] and q_after[0] not in FUNCTION_WORDS:
        return True
    if q_before[-1:] == s_before[-1:] != [] and q_before[-1] not in FUNCTION_WORDS:
        return True
    return (len(q_before) == 2 and q_before == s_before) or (len(q_after) == 2
                                                            and q_after == s_after)


def _figures_in_their_words(query: Sequence[Token], query_text: str,
                            context: Sequence[Token], source_text: str, span: set[str],
                            said: set[str]) -> list[tuple[Token, Change]]:
    """Figures the sentence has nowhere, where it has another in the same words:
    "four summit meetings" past a dropped clause the alignment could not pair across,
    "January 2023" in a reordered sentence. *span*: the words of the aligned span;
    *said*: the figures already changed."""
    in_query = {t.norm for t in query}
    out: list[tuple[Token, Change]] = []
    for a in query:
        kind = _kind(a.norm, "")
        if kind not in ("number", "date") or a.norm in span or query_text[a.start:a.end] in said:
            continue
        # The sentence has it in the same words: moved, not changed. Elsewhere in other
        # words, it may still be a change here ("April 2022" where the sentence has
        # "in 2022" and "April 2024").
        if any(t.norm == a.norm and _same_words_around(a, query, t, context) for t in context):
            continue
        other = next((t for t in context if _kind(t.norm, "") == kind
                      and t.norm not in in_query and (t.norm in MONTHS) == (a.norm in MONTHS)
                      and _same_words_around(a, query, t, context)), None)
        if other is not None:
            out.append((a, Change(query_text[a.start:a.end],
                                  source_text[other.start:other.end], kind)))
    return out


def _unknown_name(word: str) -> bool:
    """Whether a word typed in lower case that the corpus does not know may be a name
    ("sweden"): not an everyday word, not one of the synonyms people swap in
    ("released" for "announced"), not an inflected verb, an adverb or a plural."""
    if word in GENERAL or synonym_stems(stem(word), stem):
        return False
    # Nor a plural ("companies"): lower-case names are countries and people, singular.
    plural = word.endswith("s") and not word.endswith(("ss", "us", "is"))
    return not (len(word) >= 5 and (word.endswith(("ed", "ly")) or plural))


def _names(tokens: Sequence[Token], raw: str) -> list[Token]:
    return [t for t in tokens
            if not sentence_initial(raw, t.start) and _kind(t.norm, raw[t.start:t.end]) == "name"]


def _swapped_name(query: Sequence[Token], query_text: str, source: Sequence[Token],
                  source_text: str, near: set[str]) -> tuple[list[Token], Change] | None:
    """A name the quotation has where the span has another, wherever each stands:
    "Canada and the U.S. held three summit meetings" against "Japan and Canada held
    three summit meetings", where the names trade places and no edit pairs them. Only
    when the rest is the span's own words (SWAP_KEPT of the quotation's words): in a
    reworded sentence two names are two subjects, not one for another."""
    qn, sn = [t.norm for t in query], {t.norm for t in source}
    if sum(w in sn for w in qn) < SWAP_KEPT * len(qn):
        return None
    mine = [t for t in _names(query, query_text)
            if t.norm not in near and not any(_related(t.norm, w) for w in near)]
    names = _names(source, source_text)
    theirs = [t for t in names if t.norm not in qn and not any(_related(q, t.norm) for q in qn)]
    if not mine or not theirs:
        return None
    mine, theirs = _first_run(mine, query), _first_run(theirs, source)
    # "Joseph" is part of "Joseph Biden", a name the quotation has: the names right
    # beside the run are part of it.
    at = source.index(theirs[0])
    beside = {t.norm for t in names if at - 1 <= source.index(t) <= at + len(theirs)}
    if max(len(mine), len(theirs)) > NAME_WORDS or beside & set(qn):
        return None
    return mine, Change(query_text[mine[0].start:mine[-1].end],
                        source_text[theirs[0].start:theirs[-1].end], "name")


def _widened(span: Sequence[Token], context: Sequence[Token]) -> list[Token]:
    """*span* with the two words of *context* on either side: the span may stop just
    short of the name the quotation swapped ("[Japan] and Canada held…")."""
    if not span:
        return list(span)
    at = next((i for i, t in enumerate(context) if t.start == span[0].start), None)
    if at is None:
        return list(span)
    return [*context[max(at - 2, 0):at], *span,
            *context[at + len(span):at + len(span) + 2]]


def _first_run(tokens: list[Token], within: Sequence[Token]) -> list[Token]:
    """The first of *tokens* and those that follow it word after word ("South China")."""
    run = [tokens[0]]
    for t in tokens[1:]:
        if within.index(t) != within.index(run[-1]) + 1:
            break
        run.append(t)
    return run


def _one_name(tokens: Sequence[Token], within: Sequence[Token]) -> bool:
    """Whether *tokens* are one name of at most NAME_WORDS words: next to each other in
    *within*, but for "of" and "the" ("Sea of Japan", "Republic of Korea"). Name words
    with other words between them ("closest partner is India", "G7 summit in Brazil")
    are another wording of the sentence, not one name for another."""
    if len(tokens) > NAME_WORDS:
        return False
    at = [within.index(t) for t in tokens]
    return all(b == a + 1 or (b > a + 1 and all(w.norm in _NAME_GLUE for w in within[a + 1:b]))
               for a, b in pairwise(at))


def changed_words(changes: Sequence[Change]) -> int:
    """How many of the quotation's content words its changes take: a name of two words
    ("General Assembly") costs two, so a misquote must keep the rest."""
    return sum(max(1, sum(1 for t in tokenize(c.query) if t.norm not in FUNCTION_WORDS))
               for c in changes)


def _blocks(qn: Sequence[str], sn: Sequence[str]
            ) -> list[tuple[str, tuple[int, int], tuple[int, int]]]:
    """The edit script from the quotation's words to the span's, with neighbouring
    edits merged: "resolution 2397" against "resolution 2375 (adopted in September
    2017)" is one replacement, where the edit script inserts "2375 adopted in
    september" and then replaces 2397 with 2017."""
    out: list[tuple[str, tuple[int, int], tuple[int, int]]] = []
    for op in Levenshtein.opcodes(qn, sn):
        if op.tag == "equal":
            out.append(("equal", (op.src_start, op.src_end), (op.dest_start, op.dest_end)))
            continue
        q, d = (op.src_start, op.src_end), (op.dest_start, op.dest_end)
        if out and out[-1][0] != "equal":
            q, d = (out[-1][1][0], op.src_end), (out[-1][2][0], op.dest_end)
            out.pop()
        tag = "replace" if q[1] > q[0] and d[1] > d[0] else "delete" if q[1] > q[0] else "insert"
        out.append((tag, q, d))
    return out


def changed_facts(query: Sequence[Token], query_text: str, source: Sequence[Token],
                  source_text: str, context: Sequence[Token],
                  known: Container[str] = frozenset()) -> list[Change]:
    """The facts *query* (rewritten into the passage's forms) changes in *source*,
    the aligned span; *context* is the sentence(s) around it, where a date the
    quotation adds may be checked against the source's. A word typed in lower case
    stands for a name only if the corpus does not know it (*known*: its vocabulary):
    "visited" where the source says "Canada" is a rewording, "sweden" a new name."""
    qn, sn = [t.norm for t in query], [t.norm for t in source]
    in_query, span_words = set(qn), set(sn)
    near = {t.norm for t in context} | span_words
    changes: list[Change] = []
    added: list[tuple[Token, FactKind]] = []

    def text(tokens: Sequence[Token], raw: str) -> str:
        return raw[tokens[0].start:tokens[-1].end] if tokens else ""

    for tag, (q0, q1), (s0, s1) in _blocks(qn, sn):
        qs = list(query[q0:q1])
        ss = list(source[s0:s1])
        if tag == "delete":
            added += [(t, k) for t in qs
                      if (k := _kind(t.norm, "" if sentence_initial(query_text, t.start)
                                     else query_text[t.start:t.end])) in ("date", "name")
                      and t.norm not in near and not any(_related(t.norm, w) for w in near)]
        if tag != "replace":
            continue
        qf = [(t, _kind(t.norm, query_text[t.start:t.end]) or _kind(t.norm, "")) for t in qs]
        sf = [(t, _kind(t.norm, "" if sentence_initial(source_text, t.start)
                        else source_text[t.start:t.end])) for t in ss]
        for kind in ("number", "date", "name"):
            # A figure the sentence has elsewhere, in other words ("six foreign
            # ministers' meetings"), is still a change here ("six summit meetings"):
            # the pairing below checks that the two stand in the same words.
            mine = [t for t, k in qf if k == kind
                    and t.norm not in (span_words if kind == "number" else near)]
            theirs = [t for t, k in sf if k == kind and t.norm not in in_query]
            if kind == "name":
                # The user may type a name in lower case: any unknown content word
                # standing where the source has a name is a changed name.
                mine = [t for t in qs if t.norm not in near and t.norm not in FUNCTION_WORDS
                        and t.norm not in TITLES and number_value(t.norm) is None
                        and ((_kind(t.norm, query_text[t.start:t.end]) == "name"
                             and not sentence_initial(query_text, t.start))
                             or (t.norm not in known and _unknown_name(t.norm)))]
                theirs = [t for t in theirs
                          if not any(_related(q, t.norm) for q in in_query)]
                # "Kishida's" is the sentence's "Kishida", wherever it stands.
                mine = [t for t in mine if not any(_related(t.norm, w) for w in near)]
                # A name is a few words ("South China", "Donald J. Trump"): a longer
                # run is another wording of the sentence, not one name for another.
                if mine and theirs and _one_name(mine, query) and _one_name(theirs, source):
                    changes.append(Change(text(mine, query_text), text(theirs, source_text),
                                          "name"))
                continue
            for a, b in zip(mine, theirs, strict=False):
                if not _same_setting(a, query, b, source):
                    continue  # "six decades" for "60 years": another measure, not a change
                changes.append(Change(query_text[a.start:a.end],
                                      source_text[b.start:b.end], kind))
            if kind == "date" and not theirs:
                # "…to the US in May" where the span ends "with State": a date with no
                # date across from it is one the quotation adds, checked below.
                added += [(t, kind) for t in mine]
        # A word in place of its opposite: "weaker than ever" for "stronger than ever".
        changes += [Change(query_text[a.start:a.end], source_text[b.start:b.end], "word")
                    for a in qs if has_opposite(a.norm)
                    for b in ss if opposite(a.norm, b.norm)][:1]
    # A date or place the quotation adds where the sentence has another ("in 2023",
    # "in Tokyo" where the caption says Hawaii).
    if not any(c.kind == "name" for c in changes):
        swapped = _swapped_name(query, query_text, _widened(source, context), source_text, near)
        if swapped:
            changes.append(swapped[1])
            added = [(t, k) for t, k in added if t not in swapped[0]]
    for tok, change in _figures_in_their_words(query, query_text, context, source_text,
                                               span_words, {c.query for c in changes}):
        changes.append(change)
        added = [(t, k) for t, k in added if t is not tok]
    if not added:
        return changes
    inside = {t.norm for t in source}
    spare = [(t, k) for t in context
             if (k := _kind(t.norm, "" if sentence_initial(source_text, t.start)
                            else source_text[t.start:t.end])) in ("date", "name")
             and t.norm not in in_query and t.norm not in inside]
    end = source[-1].end if source else 0
    for tok, kind in added:
        # Where the quotation adds it (after or before the span) is where to look.
        late = query.index(tok) >= len(query) / 2
        fits = [t for t, k in spare if k == kind and (t.norm in MONTHS) == (tok.norm in MONTHS)]
        side = [t for t in fits if (t.start >= end) == late]
        other = (side[0] if late else side[-1]) if side else (fits[0] if fits else None)
        if other is not None:
            changes.append(Change(query_text[tok.start:tok.end],
                                  source_text[other.start:other.end], kind))
    return changes
