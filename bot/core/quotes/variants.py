"""Equivalent forms of a word: numbers, spellings, hyphen splits, abbreviations.

People quote "sixty" for "60", "defence" for "defense", "ice breakers" for
"icebreakers", "NSS" for "National Security Strategy" and "United States" for
"U.S.". None of these is a mistake, so before the quotation is aligned with a
passage, :func:`rewrite` puts each such word into the form *that passage* uses.
The rewritten words keep the offsets of the words the person typed, so a diff
still shows their own words, and an equivalent form is reported as equal.

Everything here is derived from the passage at hand (its acronyms, its numbers,
its spellings), plus the short tables of :mod:`.abbreviations` ("PM", "FM", "US",
"Feb", "Joe"). It costs a few set look-ups per
word that the passage does not have verbatim, and nothing per word it has.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache

from bot.core.quotes.abbreviations import ABBREVIATIONS, SHORT_FORMS
from bot.core.quotes.numbers import NUMBER_WORDS, compound_value, number_value
from bot.core.quotes.text import Token

# Each expansion's first word -> (acronym, expansion): the contraction check looks up one word.
_BY_FIRST: dict[str, list[tuple[str, tuple[str, ...]]]] = {}
for _acr, _exps in ABBREVIATIONS.items():
    for _exp in _exps:
        _BY_FIRST.setdefault(_exp[0], []).append((_acr, _exp))
# Words skipped when initials are taken ("Minister of Foreign Affairs", "Free and Open").
_GLUE = frozenset({"of", "and", "for", "the", "on", "in", "to"})
_BRITISH = (("isation", "ization"), ("ising", "izing"), ("ised", "ized"), ("ise", "ize"),
            ("ises", "izes"), ("yse", "yze"), ("our", "or"), ("ours", "ors"), ("ence", "ense"),
            ("tre", "ter"), ("tres", "ters"), ("mme", "m"), ("mmes", "ms"),
            ("lled", "led"), ("lling", "ling"), ("ogue", "og"))


# Ending -> (its place in _BRITISH's order, the other form): a word's endings are a
# few dict look-ups, where testing every pair cost 32 endswith calls per word.
_ENDINGS: dict[str, list[tuple[int, str]]] = {}
for _at, (_brit, _amer) in enumerate(_BRITISH):
    _ENDINGS.setdefault(_brit, []).append((2 * _at, _amer))
    _ENDINGS.setdefault(_amer, []).append((2 * _at + 1, _brit))
_ENDING_LENGTHS = sorted({len(e) for e in _ENDINGS})


@lru_cache(maxsize=1 << 14)  # asked for each query word once per candidate passage
def spelling_variants(word: str) -> tuple[str, ...]:
    """British <-> American forms of *word* (both directions), most likely first."""
    found: list[tuple[int, str]] = []
    for n in _ENDING_LENGTHS:
        if len(word) > n + 2:
            for at, other in _ENDINGS.get(word[-n:], ()):
                found.append((at, word[:-n] + other))
    found.sort()
    return tuple(w for _, w in found)


def initials(words: Sequence[str], keep_glue: bool) -> str:
    return "".join(w[0] for w in words if w and (keep_glue or w not in _GLUE))


def _acronym_at(acr: str, source: Sequence[str], start: int) -> int:
    """The end of a run of *source* from *start* whose initials spell *acr*, else -1."""
    for keep_glue in (False, True):
        got, j = "", start
        while j < len(source) and len(got) < len(acr) and j - start <= len(acr) + 3:
            w = source[j]
            if keep_glue or w not in _GLUE or j == start:
                got += w[0]
            j += 1
            if got == acr and source[j - 1] not in _GLUE:
                return j
            if not acr.startswith(got):
                break
    return -1


def looks_like_acronym(word: str) -> bool:
    return 2 <= len(word) <= 7 and word.isalnum() and not word.isdigit()


class SourceForms:
    """The words of one passage, with what is needed to put a query into its forms."""

    def __init__(self, source: Sequence[Token], text: str) -> None:
        self.norms = [t.norm for t in source]
        self.set = frozenset(self.norms)
        self.numbers: dict[tuple[str, int], str] = {}
        for i, w in enumerate(self.norms):
            if not (w[:1].isdigit() or w in NUMBER_WORDS):
                continue  # neither a number nor the first word of one ("twenty one")
            value = number_value(w)
            if value is None and i + 1 < len(self.norms):
                value = compound_value(w, self.norms[i + 1])
            if value is not None:
                self.numbers.setdefault(value, w)
        self._joined: dict[str, tuple[str, ...]] | None = None
        # Words the passage writes in capitals ("ROK", "U.S."): the only ones a run of
        # the quotation's words may be contracted to. "sea" is a word, not the
        # initials of "stability in the Euro-Atlantic".
        self.capitals = frozenset(t.norm for t in source if text[t.start].isupper()
                                  and _in_capitals(text[t.start:t.end]))
        self.heads = frozenset(w[:2] for w in self.capitals if 3 <= len(w) <= 7)
        # Acronyms the passage defines in brackets: "The United States (U.S.)".
        self.bracketed = frozenset(t.norm for t in source if t.start and text[t.start - 1] == "(")

    def joined(self) -> dict[str, tuple[str, ...]]:
        """Runs of 2-3 source words written together ("ship to ship" -> "shiptoship")."""
        if self._joined is None:
            table: dict[str, tuple[str, ...]] = {}
            n = self.norms
            for i in range(len(n)):
                for k in (2, 3):
                    if i + k <= len(n):
                        table.setdefault("".join(n[i:i + k]), tuple(n[i:i + k]))
            self._joined = table
        return self._joined

    def expansion(self, acr: str) -> tuple[str, ...] | None:
        """The words of this passage that *acr* stands for, if it has them."""
        for words in ABBREVIATIONS.get(acr, ()):
            if all(w in self.set for w in words) and _contains(self.norms, words):
                return words
        if not looks_like_acronym(acr) or not acr.isalpha() or len(acr) < 3:
            return None
        for i, w in enumerate(self.norms):
            if w[0] == acr[0]:
                end = _acronym_at(acr, self.norms, i)
                if end > i + 1:
                    return tuple(self.norms[i:end])
        return None


def _in_capitals(display: str) -> bool:
    """"ROK", "U.S.", "KAEDEX24": two capitals or more and no small letter."""
    return sum(c.isupper() for c in display) >= 2 and not any(c.islower() for c in display)


def _contains(seq: Sequence[str], run: Sequence[str]) -> bool:
    k = len(run)
    return any(list(seq[i:i + k]) == list(run) for i in range(len(seq) - k + 1))


def rewrite(query: Sequence[Token], forms: SourceForms,
            acronyms: frozenset[str] = frozenset(), contract: bool = False) -> list[Token]:
    """*query* with each word the passage has in another form replaced by that form.
    Only the words in *acronyms* (typed in capitals, or unknown to the corpus) are
    tried as acronyms of the passage's words: the scan costs a pass over it.
    *contract*: an expansion becomes the passage's acronym even where the passage
    also writes the expansion out ("Japan and the United States … the Japan-U.S.
    alliance"); the caller aligns both readings."""
    out: list[Token] = []
    i, n, have = 0, len(query), forms.set
    while i < n:
        tok, word = query[i], query[i].norm
        nxt = query[i + 1].norm if i + 1 < n else ""
        # An expansion written out where the passage has the acronym ("united states").
        taken = _contracted(query, i, forms, contract)
        if taken:
            out.append(Token(taken[0], tok.start, query[taken[1] - 1].end))
            i = taken[1]
            continue
        if word in have and not (nxt and word + nxt in have and nxt not in have):
            out.append(tok)
            i += 1
            continue
        if nxt:
            value = compound_value(word, nxt)
            if value is not None and value in forms.numbers:
                out.append(Token(forms.numbers[value], tok.start, query[i + 1].end))
                i += 2
                continue
            for k in (3, 2):  # "ice breakers" -> "icebreakers", "co operate" -> "cooperate"
                if i + k <= n and "".join(t.norm for t in query[i:i + k]) in have:
                    out.append(Token("".join(t.norm for t in query[i:i + k]), tok.start,
                                     query[i + k - 1].end))
                    i += k
                    break
            else:
                k = 0
            if k:
                continue
        out.extend(Token(w, tok.start, tok.end)
                   for w in _equivalent(word, forms, word in acronyms))
        i += 1
    return out


def expands(pieces: Sequence[Sequence[Token]], forms: SourceForms) -> bool:
    """Whether a quotation may write out an abbreviation the passage has in capitals
    ("United States" for "U.S."): a few set look-ups, before a second rewrite."""
    return any(acr in forms.capitals for piece in pieces for t in piece
               for acr, _ in _BY_FIRST.get(t.norm, ()))


def _contracted(query: Sequence[Token], i: int, forms: SourceForms,
                contract: bool = False) -> tuple[str, int] | None:
    """The passage's acronym for the words of *query* from *i*, and where they end."""
    first = query[i].norm
    if i + 1 >= len(query):
        return None
    for acr, exp in _BY_FIRST.get(first, ()):
        if acr in forms.capitals and tuple(t.norm for t in query[i:i + len(exp)]) == exp \
                and (contract or not _contains(forms.norms, exp)):
            return acr, i + len(exp)
    second = query[i + 1].norm
    if first[0] + second[0] not in forms.heads and (
            second not in _GLUE or i + 2 >= len(query)
            or first[0] + query[i + 2].norm[0] not in forms.heads):
        return None
    words = [t.norm for t in query[i:i + 6]]
    for k in range(5, 1, -1):
        run = words[:k]
        if len(run) < k or run[-1] in _GLUE:
            continue
        for keep in (False, True):
            acr = initials(run, keep)
            if len(acr) >= 3 and acr in forms.capitals and not _contains(forms.norms, run):
                return acr, i + k
    return None


def _equivalent(word: str, forms: SourceForms, acronym: bool) -> tuple[str, ...]:
    have = forms.set
    value = number_value(word)
    if value is not None and value in forms.numbers:
        return (forms.numbers[value],)
    for variant in spelling_variants(word):
        if variant in have:
            return (variant,)
    if SHORT_FORMS.get(word) in have:
        return (SHORT_FORMS[word],)  # "Joe Biden" where the passage has "Joseph Biden"
    if len(word) >= 5 and _splits(word, have) and word in forms.joined():
        return forms.joined()[word]  # "shiptoship" -> "ship to ship"
    expansion = forms.expansion(word) if acronym or word in ABBREVIATIONS else None
    if expansion:
        return expansion
    return (word,)


def _splits(word: str, have: frozenset[str]) -> bool:
    """Whether *word* is two or three words of *have* written together: checked
    before the passage's table of joined runs is built, which few words need."""
    for a in range(1, len(word)):
        if word[:a] in have:
            rest = word[a:]
            if rest in have or any(rest[:b] in have and rest[b:] in have
                                   for b in range(1, len(rest))):
                return True
    return False


def defined_acronyms(query: Sequence[Token], forms: SourceForms) -> list[Token] | None:
    """*query* with each acronym the passage defines in brackets ("The United States
    (U.S.)") written as the passage does, definition and acronym, so that quoting
    either one alone matches the defining sentence word for word; None when the
    query has no such acronym or definition."""
    if not forms.bracketed:
        return None
    defs = {acr: exp for acr in forms.bracketed if (exp := _definition(acr, forms))}
    if not defs:
        return None
    out: list[Token] = []
    changed = False
    i = 0
    while i < len(query):
        tok = query[i]
        exp = defs.get(tok.norm)
        if exp and not _preceded(out, exp):
            out.extend(Token(w, tok.start, tok.end) for w in exp)
            changed = True
        out.append(tok)
        for acr, e in defs.items():
            k = len(e)
            if tuple(t.norm for t in query[i - k + 1:i + 1]) == e and k <= i + 1 and (
                    i + 1 >= len(query) or query[i + 1].norm != acr):
                out.append(Token(acr, tok.start, tok.end))
                changed = True
        i += 1
    return out if changed else None


def _definition(acr: str, forms: SourceForms) -> tuple[str, ...] | None:
    if acr not in forms.bracketed:
        return None
    n = forms.norms
    for j, w in enumerate(n):
        if w != acr or j == 0:
            continue
        for exp in ABBREVIATIONS.get(acr, ()):
            if tuple(n[max(j - len(exp), 0):j]) == exp:
                return exp
        for start in range(max(j - len(acr) - 3, 0), j - 1):
            if _acronym_at(acr, n, start) == j:
                return tuple(n[start:j])
    return None


def _preceded(out: Sequence[Token], exp: Sequence[str]) -> bool:
    return [t.norm for t in out[-len(exp):]] == list(exp)
