"""Names: which words are names, which are one name, and which name a quotation
has where the span has another (:mod:`.misquote`)."""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache
from itertools import pairwise

from bot.core.quotes.change import Change, fact_kind
from bot.core.quotes.coverage import GENERAL, stem
from bot.core.quotes.diff import is_typo
from bot.core.quotes.synonyms import synonym_stems
from bot.core.quotes.text import Token, sentence_initial

NAME_WORDS = 4
_NAME_GLUE = frozenset(["of", "the"])
SWAP_KEPT = 0.6


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
def related(a: str, b: str) -> bool:
    """Japan/Japanese, America/American, Japan's/Japanese, Joe/Joseph: one name, not
    a change."""
    if is_typo(a, b) or _SHORT_FORMS.get(a) == b or _SHORT_FORMS.get(b) == a:
        return True
    a, b = _possessive(a), _possessive(b)
    return min(len(a), len(b)) >= 4 and (a.startswith(b) or b.startswith(a))


def _possessive(word: str) -> str:
    """"japans" (Japan's, once normalised) -> "japan"."""
    return word[:-1] if len(word) > 4 and word.endswith("s") else word


def unknown_name(word: str) -> bool:
    """Whether a word typed in lower case that the corpus does not know may be a name
    ("sweden"): not an everyday word, not one of the synonyms people swap in
    ("released" for "announced"), not an inflected verb, an adverb or a plural."""
    if word in GENERAL or synonym_stems(stem(word), stem):
        return False
    # Nor a plural ("companies"): lower-case names are countries and people, singular.
    plural = word.endswith("s") and not word.endswith(("ss", "us", "is"))
    return not (len(word) >= 5 and (word.endswith(("ed", "ly")) or plural))


def _names(tokens: Sequence[Token], raw: str) -> list[Token]:
    return [t for t in tokens if not sentence_initial(raw, t.start)
            and fact_kind(t.norm, raw[t.start:t.end]) == "name"]


def swapped_name(query: Sequence[Token], query_text: str, source: Sequence[Token],
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
            if t.norm not in near and not any(related(t.norm, w) for w in near)]
    names = _names(source, source_text)
    theirs = [t for t in names if t.norm not in qn and not any(related(q, t.norm) for q in qn)]
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


def widened(span: Sequence[Token], context: Sequence[Token]) -> list[Token]:
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


def one_name(tokens: Sequence[Token], within: Sequence[Token]) -> bool:
    """Whether *tokens* are one name of at most NAME_WORDS words: next to each other in
    *within*, but for "of" and "the" ("Sea of Japan", "Republic of Korea"). Name words
    with other words between them ("closest partner is India", "G7 summit in Brazil")
    are another wording of the sentence, not one name for another."""
    if len(tokens) > NAME_WORDS:
        return False
    at = [within.index(t) for t in tokens]
    return all(b == a + 1 or (b > a + 1 and all(w.norm in _NAME_GLUE for w in within[a + 1:b]))
               for a, b in pairwise(at))
