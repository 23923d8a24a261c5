"""How much of a quotation's *content* a passage has near the matched span.

Character alignment rewards the same words in the same order; people reorder
clauses, drop list items and swap a verb for a synonym, yet keep the names,
figures and rare words. This measures the share of the quotation's content
words (function words aside), each weighted by its rarity in the corpus, found
within a window around the span. A word the corpus never uses weighs the most,
so a sentence that borrows a corpus phrase but adds its own subject ("AUKUS
Pillar II") scores low.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Container, Sequence
from dataclasses import dataclass
from functools import lru_cache

from bot.core.quotes.diff import is_typo
from bot.core.quotes.synonyms import synonym_stems
from bot.core.quotes.text import Token

FUNCTION_WORDS = frozenset(["a", "an", "the", "and", "or", "but", "nor", "of", "in", "on",
                            "at", "to", "for", "from", "by", "with", "without", "within",
                            "into", "onto", "over", "under", "as", "than", "then", "that",
                            "this", "these", "those", "there", "here", "it", "its", "itself",
                            "they", "them", "their", "theirs", "he", "she", "him", "her",
                            "his", "we", "our", "you", "your", "i", "me", "my", "is",
                            "are", "was", "were", "be", "been", "being", "am", "do", "does",
                            "did", "done", "have", "has", "had", "having", "will", "would",
                            "shall", "should", "can", "could", "may", "might", "must", "not",
                            "no", "so", "such", "also", "very", "just", "which", "who", "whom",
                            "whose", "what", "when", "where", "while", "why", "how", "all",
                            "any", "both", "each", "either", "neither", "some", "more", "most",
                            "other", "another", "same", "own", "only", "even", "about",
                            "after", "before", "again", "against", "between", "during",
                            "through", "up", "down", "out", "off", "once", "further", "too",
                            "s", "t", "around", "across", "among", "amongst", "toward",
                            "towards", "upon", "via", "per", "despite", "throughout", "beyond",
                            "behind", "below", "above", "near", "inside", "outside", "along",
                            "alongside", "amid", "since", "until", "till", "beside", "besides",
                            "if", "because", "although", "though", "unless", "whether", "yet",
                            "ones"])
# Everyday words that carry little of what a sentence is about, in any corpus: a
# small corpus never uses "met" or "says", which would otherwise weigh as much as a
# name it does not know. They are no content: a paraphrase adds them ("got a warm
# welcome"), and a word that says little should not decide whether a quote is there.
GENERAL = frozenset(["get", "gets", "got", "getting", "make", "makes", "made", "making", "say",
                     "says", "said", "saying", "see", "sees", "saw", "seen", "want", "wants",
                     "wanted", "go", "goes", "went", "going", "come", "came", "take", "took",
                     "keep", "keeps", "kept", "give", "gave", "met", "meet", "meets", "think",
                     "thinks", "know", "knows", "tell", "told", "like", "still", "really",
                     "now", "well", "much", "many", "lot", "lots", "thing", "things", "way",
                     "ways", "time", "times", "year", "years", "good", "big", "new", "great",
                     "put", "puts", "let", "become", "became", "becomes", "seem", "seems",
                     "mean", "means", "matter", "matters", "try", "tries", "tried"])
# "us" is not among them: in this register it is the country far more than the pronoun.
# A word typed in lower case that the corpus lacks weighs as one in this share of the
# passages (typed_weight). Chosen on the 70 MB benchmark's calibration split.
ORDINARY_SHARE = 0.05


# Irregular verbs, past forms to the present: "paid an Official Visit" quotes "to pay
# an Official Visit". Verbs of what governments and people do; not every verb.
_IRREGULAR = {"paid": "pay", "held": "hold", "led": "lead", "took": "take", "taken": "take",
              "began": "begin", "begun": "begin", "brought": "bring", "built": "build",
              "bought": "buy", "sought": "seek", "sent": "send", "spent": "spend",
              "stood": "stand", "understood": "understand", "spoke": "speak",
              "spoken": "speak", "wrote": "write", "written": "write", "chose": "choose",
              "chosen": "choose", "rose": "rise", "risen": "rise", "fell": "fall",
              "fallen": "fall", "won": "win", "lost": "lose", "felt": "feel", "left": "leave",
              "knew": "know", "known": "know", "grew": "grow", "grown": "grow",
              "threw": "throw", "drew": "draw", "drawn": "draw", "broke": "break",
              "broken": "break", "fought": "fight", "taught": "teach", "thought": "think",
              "caught": "catch", "sold": "sell", "struck": "strike", "forbade": "forbid",
              "forbidden": "forbid", "undertook": "undertake", "withdrew": "withdraw",
              "withdrawn": "withdraw", "arose": "arise", "arisen": "arise", "found": "find",
              "bound": "bind", "shook": "shake", "drove": "drive", "flew": "fly",
              "told": "tell", "sat": "sit", "ran": "run"}


@lru_cache(maxsize=1 << 16)  # every word of every candidate's window, every query
def stem(word: str) -> str:
    """A crude stem: enough to match "visited"/"visit", "meetings"/"meeting", "paid"/"pay"."""
    word = _IRREGULAR.get(word, word)
    for suffix in ("ations", "ation", "ings", "ing", "ies", "ied", "es", "ed", "ly", "s"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 4:
            return word[: -len(suffix)]
    return word


def near(a: str, b: str) -> bool:
    """A typo, or one word built on the other ("minister", "ministerial")."""
    return is_typo(a, b) or (min(len(a), len(b)) >= 6 and (a.startswith(b) or b.startswith(a)))


@dataclass(frozen=True, slots=True)
class Coverage:
    share: float  # weighted share of the content words found, 0-1
    content: int  # how many content words the quotation has
    count: int  # how many of them were found
    found: tuple[int, ...]  # window positions of the words found (nearest occurrences)


def content_words(words: Sequence[str]) -> list[str]:
    return [w for w in words if w not in FUNCTION_WORDS and w not in GENERAL]


def coverage(query: Sequence[str], source: Sequence[Token], lo: int, hi: int,
             weight: Callable[[str], float]) -> Coverage:
    """Coverage of *query*'s content words by ``source[lo:hi]``."""
    window = [t.norm for t in source[lo:hi]]
    stems: dict[str, list[int]] = {}
    for pos, norm in enumerate(window, lo):
        stems.setdefault(stem(norm), []).append(pos)
    centre = (lo + hi) / 2
    total = got = 0.0
    found: list[int] = []
    content = content_words(query)
    for word in content:
        w = weight(word)
        total += w
        where = stems.get(stem(word))
        if where is None and len(word) >= 4:
            root = stem(word)
            # Only stems that could be a typo or a longer form of it are compared.
            where = next((p for s, p in stems.items()
                          if s[:1] == root[:1] or s[1:2] == root[1:2]
                          if near(root, s)), None)
        if where is None:
            # A word swapped for one the passage uses ("agreed" for "confirmed"): where
            # any of them stands. (Not the first in the set's order: that order
            # changes with the hash seed, and so did the span.)
            where = [p for s in synonym_stems(stem(word), stem) if s in stems
                     for p in stems[s]] or None
        if where:
            got += w
            found.append(min(where, key=lambda p: (abs(p - centre), p)))
    return Coverage(got / total if total else 0.0, len(content), len(found), tuple(found))


def typed_weight(weight: Callable[[str], float], known: Container[str],
                 capitalised: Container[str], ordinary: float) -> Callable[[str], float]:
    """*weight*, except that a word the corpus never uses and that was typed in lower
    case weighs *ordinary*: "need" or "attacking" in a paraphrase is an everyday
    word a small corpus happens not to have, where "AUKUS" or "Mexico", typed with a
    capital, is something the corpus does not say and keeps the highest weight."""
    def typed(word: str) -> float:
        if word in capitalised or word in known:
            return weight(word)
        return min(weight(word), ordinary)
    return typed


def ordinary_weight(passages: int) -> float:
    """The weight of a word in ORDINARY_SHARE of the passages."""
    return math.log((passages + 1) / (passages * ORDINARY_SHARE + 0.5)) + 0.1


def idf_weight(df: Callable[[str], int], passages: int) -> Callable[[str], float]:
    """Rarity weight: log-scaled inverse document frequency, highest for unseen words."""
    # Cached: the same words come back in every candidate of a query, and a df
    # look-up bisects the vocabulary. Bounded, and safe to share between threads.
    @lru_cache(maxsize=1 << 16)
    def weight(word: str) -> float:
        return math.log((passages + 1) / (df(word) + 0.5)) + 0.1
    return weight
