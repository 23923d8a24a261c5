"""Names: which words are names, which are one name, and which name a quotation
has where the span has another (:mod:`.misquote`)."""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache
from itertools import pairwise

from rapidfuzz.distance import Levenshtein

from bot.core.quotes.abbreviations import SHORT_FORMS
from bot.core.quotes.change import Change, fact_kind
from bot.core.quotes.coverage import GENERAL, stem
from bot.core.quotes.diff import is_typo
from bot.core.quotes.synonyms import synonym_stems
from bot.core.quotes.text import Token, sentence_initial

NAME_WORDS = 4
_NAME_GLUE = frozenset(["of", "the"])
SWAP_KEPT = 0.6


@lru_cache(maxsize=1 << 16)
def related(a: str, b: str) -> bool:
    """Japan/Japanese, America/American, Japan's/Japanese, Joe/Joseph: one name, not
    a change."""
    if is_typo(a, b) or SHORT_FORMS.get(a) == b or SHORT_FORMS.get(b) == a:
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


def name_runs(tokens: Sequence[Token], raw: str) -> list[list[Token]]:
    """The names of *tokens*, each as its run of words: "East China Sea", "Sea of
    Japan", "UN Security Council", "Donald J. Trump" ("of", "the" and initials inside
    a name are part of it)."""
    runs: list[list[Token]] = []
    run: list[Token] = []
    # Capitalised words; one at a sentence start may go on a name ("U.S. Summit
    # Meeting", "J. Trump": the full stop of an abbreviation) but not begin one.
    named = [fact_kind(t.norm, raw[t.start:t.end]) == "name" for t in tokens]
    for i, t in enumerate(tokens):
        if run:
            gap = raw[run[-1].end:t.start]
            if gap.strip(" -.'") or ("." in gap and not raw[run[-1].start:run[-1].end].isupper()):
                runs.append(run)  # "the G7, Quad and …", "… in Japan. Canada …": two names
                run = []
        starts = named[i] and not sentence_initial(raw, t.start)
        inside = bool(run) and i + 1 < len(tokens) and named[i + 1] and (
            t.norm in _NAME_GLUE or raw[t.start:t.end].isupper())  # "of", an initial
        if starts or (run and named[i]) or inside:
            run.append(t)
        elif run:
            runs.append(run)
            run = []
    if run:
        runs.append(run)
    return runs


def _bare(words: Sequence[str]) -> list[str]:
    return [w for w in words if w not in ("the", "a", "an")]


def _setting(tokens: Sequence[Token], run: Sequence[Token]) -> tuple[list[str], list[str]]:
    """The two words before and after a name, articles aside, as stems."""
    at = tokens.index(run[0])
    end = tokens.index(run[-1]) + 1
    before = _bare([t.norm for t in tokens[max(at - 3, 0):at]])[-2:]
    after = _bare([t.norm for t in tokens[end:end + 3]])[:2]
    return [stem(w) for w in before], [stem(w) for w in after]


def _contains(words: Sequence[str], run: Sequence[str]) -> bool:
    k = len(run)
    return any(list(words[i:i + k]) == list(run) for i in range(len(words) - k + 1))


def names_in_their_words(query: Sequence[Token], query_text: str, context: Sequence[Token],
                         source_text: str) -> list[tuple[list[Token], Change]]:
    """Names the sentence does not have, where it has another in the same words: "by
    force in the Yellow Sea" against "by force in the East China Sea", "UN General
    Assembly resolution 2375" against "UN Security Council resolution 2375", where
    the name lies past the aligned span or the edit script pairs its words apart.
    The same words are two on one side of both names. Each with its words."""
    qn = [t.norm for t in query]
    cn = [t.norm for t in context]
    mine = [run for run in name_runs(query, query_text)
            if not _contains(cn, [t.norm for t in run])]
    if not mine:
        return []  # the usual case: every name is in the sentence
    theirs = [r for r in name_runs(context, source_text)
              if not _contains(qn, [t.norm for t in r])]
    out: list[tuple[list[Token], Change]] = []
    for run in mine:
        before, after = _setting(query, run)
        for other in theirs:
            o_before, o_after = _setting(context, other)
            if not ((len(before) == 2 and before == o_before)
                    or (len(after) == 2 and after == o_after)):
                continue
            ours, its = _trimmed(run, other)
            if not ours or not its or len(ours) > NAME_WORDS or len(its) > NAME_WORDS \
                    or all(any(related(a.norm, b.norm) for b in its)
                           for a in ours if a.norm not in _NAME_GLUE):
                continue  # the same name in another form
            if len(ours) == len(its) == 1 < len(run) \
                    and Levenshtein.distance(ours[0].norm, its[0].norm) <= 1:
                continue  # "South China See": the name misspelt
            out.append((run, Change(_text(run, query_text), _text(other, source_text), "name")))
            break
    return out


def _text(run: Sequence[Token], raw: str) -> str:
    """A name as written, without a leading "of" or "the"."""
    while len(run) > 1 and run[0].norm in _NAME_GLUE:
        run = run[1:]
    return raw[run[0].start:run[-1].end]


def _trimmed(a: Sequence[Token], b: Sequence[Token]) -> tuple[list[Token], list[Token]]:
    """Two names without the words they share at either end ("UN")."""
    x, y = list(a), list(b)
    while x and y and x[0].norm == y[0].norm:
        x, y = x[1:], y[1:]
    while x and y and x[-1].norm == y[-1].norm:
        x, y = x[:-1], y[:-1]
    while x and x[0].norm in _NAME_GLUE:
        x = x[1:]
    while y and y[0].norm in _NAME_GLUE:
        y = y[1:]
    return x, y


def _letters(word: str) -> str:
    return "".join(c for c in word if c.isalpha())


def numbered_names(query: Sequence[Token], query_text: str, context: Sequence[Token],
                   source_text: str, near: set[str]) -> list[tuple[Token, Change]]:
    """Names with a number in them that the sentence has with another number: "the
    KAEDEX25 bilateral exercise" against "(KAEDEX24)", "members of the G20" against
    "the G8". The edit script may pair such a name with any word beside it."""
    out: list[tuple[Token, Change]] = []
    in_query = {t.norm for t in query}
    for t in query:
        w = t.norm
        # fact_kind's names with digits: "G7", not the ordinal "60th" (a number).
        if w in near or not any(c.isdigit() for c in w) or fact_kind(w, "") != "name":
            continue
        other = next((c for c in context if c.norm not in in_query
                      and any(ch.isdigit() for ch in c.norm)
                      and fact_kind(c.norm, "") == "name"
                      and _letters(c.norm) == _letters(w)), None)
        if other is not None:
            out.append((t, Change(query_text[t.start:t.end],
                                  source_text[other.start:other.end], "name")))
    return out


def whole_name(tokens: Sequence[Token], context: Sequence[Token], raw: str,
               quoted: set[str], span: Sequence[Token]) -> str:
    """The name *tokens* are part of, whole where the *span* cut it short, but for the
    words the quotation has (*quoted*): "Donald J. Trump" where the span ends at
    "Donald" and the quotation says "Joe Biden"; "Security Council", not "UN Security
    Council", for "UN General Assembly". Inside the span the alignment has decided."""
    for run in name_runs(context, raw):
        if run[0].start <= tokens[0].start and tokens[-1].end <= run[-1].end \
                and len(run) <= NAME_WORDS:
            a = next(i for i, t in enumerate(run) if t.start == tokens[0].start)
            b = next(i for i, t in enumerate(run) if t.end == tokens[-1].end) + 1
            lo, hi = (span[0].start, span[-1].end) if span else (0, 0)
            while a > 0 and run[a - 1].norm not in quoted \
                    and run[a - 1].norm not in _NAME_GLUE and run[a - 1].end <= lo:
                a -= 1
            while b < len(run) and run[b].norm not in quoted and run[b].start >= hi:
                b += 1
            return raw[run[a].start:run[b - 1].end]
    return raw[tokens[0].start:tokens[-1].end]
