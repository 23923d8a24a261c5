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

from collections import Counter
from collections.abc import Container, Sequence

from rapidfuzz.distance import Levenshtein

from bot.core.quotes.change import MONTHS, TITLES, Change, FactKind, fact_kind
from bot.core.quotes.coverage import FUNCTION_WORDS
from bot.core.quotes.figures import figures_in_their_words, same_setting
from bot.core.quotes.names import (
    names_in_their_words,
    numbered_names,
    one_name,
    related,
    swapped_name,
    unknown_name,
    whole_name,
    widened,
)
from bot.core.quotes.numbers import number_value
from bot.core.quotes.synonyms import has_opposite, opposite
from bot.core.quotes.text import Token, sentence_initial, tokenize


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
    q_counts, s_counts = Counter(qn), Counter(sn)
    # A name with a number in it, where the sentence has the same name with another
    # ("KAEDEX25" for "KAEDEX24", "G20" for "G8"), wherever the edit script puts it.
    versions = numbered_names(query, query_text, context, source_text, near)
    changes: list[Change] = [c for _, c in versions]
    versioned = {t for t, _ in versions}
    added: list[tuple[Token, FactKind]] = []

    def text(tokens: Sequence[Token], raw: str) -> str:
        return raw[tokens[0].start:tokens[-1].end] if tokens else ""

    for tag, (q0, q1), (s0, s1) in _blocks(qn, sn):
        qs = [t for t in query[q0:q1] if t not in versioned]
        ss = list(source[s0:s1])
        if tag == "delete":
            added += [(t, k) for t in qs
                      if (k := fact_kind(t.norm, "" if sentence_initial(query_text, t.start)
                                     else query_text[t.start:t.end])) in ("date", "name")
                      and t.norm not in near and not any(related(t.norm, w) for w in near)]
        if tag != "replace":
            continue
        qf = [(t, fact_kind(t.norm, query_text[t.start:t.end]) or fact_kind(t.norm, ""))
              for t in qs]
        sf = [(t, fact_kind(t.norm, "" if sentence_initial(source_text, t.start)
                        else source_text[t.start:t.end])) for t in ss]
        for kind in ("number", "date", "name"):
            # A figure the sentence has elsewhere, in other words ("six foreign
            # ministers' meetings"), is still a change here ("six summit meetings"):
            # the pairing below checks that the two stand in the same words.
            # A figure the span has as often as the quotation is not changed; "four
            # summit meetings and four foreign ministerial meetings" has one too many.
            mine = [t for t, k in qf if k == kind
                    and (q_counts[t.norm] > s_counts[t.norm] if kind == "number"
                         else t.norm not in near)]
            theirs = [t for t, k in sf if k == kind and t.norm not in in_query]
            if kind == "name":
                theirs = [t for t in theirs
                          if not any(related(q, t.norm) for q in in_query)]
                if not theirs:
                    continue  # most blocks: the checks below cost more than the rest
                # The user may type a name in lower case: any unknown content word
                # standing where the source has a name is a changed name.
                mine = [t for t in qs if t.norm not in near and t.norm not in FUNCTION_WORDS
                        and t.norm not in TITLES and t.norm not in MONTHS
                        and number_value(t.norm) is None
                        and ((fact_kind(t.norm, query_text[t.start:t.end]) == "name"
                             and not sentence_initial(query_text, t.start))
                             or (t.norm not in known and unknown_name(t.norm)))]
                # "Kishida's" is the sentence's "Kishida", wherever it stands.
                mine = [t for t in mine if not any(related(t.norm, w) for w in near)]
                # A name is a few words ("South China", "Donald J. Trump"): a longer
                # run is another wording of the sentence, not one name for another.
                if mine and theirs and one_name(mine, query) and one_name(theirs, source):
                    changes.append(Change(text(mine, query_text),
                                          whole_name(theirs, context, source_text, in_query,
                                                     source),
                                          "name"))
                continue
            for a, b in zip(mine, theirs, strict=False):
                if not same_setting(a, query, b, source):
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
        swapped = swapped_name(query, query_text, widened(source, context), source_text, near)
        named = [swapped] if swapped else names_in_their_words(query, query_text, context,
                                                               source_text)
        for run, change in named:
            changes.append(change)
            added = [(t, k) for t, k in added if t not in run]
    for tok, change in figures_in_their_words(query, query_text, context, source_text,
                                               span_words, {c.query for c in changes}):
        changes.append(change)
        added = [(t, k) for t, k in added if t is not tok]
    if not added:
        return changes
    inside = {t.norm for t in source}
    spare = [(t, k) for t in context
             if (k := fact_kind(t.norm, "" if sentence_initial(source_text, t.start)
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
