"""Words people put in place of one another when they quote from memory.

"Ishiba traveled to the US", "the leaders agreed", "the resolution bans": the
source says *visited*, *confirmed*, *prohibits*. Such a word is not a changed fact
(a name, a figure, a date) and should not count against a quotation whose other
content words are all there. The table is short and hand-written for the register
of diplomatic writing and of people discussing it; each group is a set of words
that can stand for one another in a sentence about what governments do. It is
used only to decide whether a quotation's *content* is near a span
(:mod:`.coverage`) and whether a word is a rewording rather than a changed name
(:mod:`.misquote`); the character alignment and the diff still show the person's
own word, so a reader sees what was swapped.

Words are compared by :func:`~bot.core.quotes.coverage.stem`, so one form of a
word stands for its inflections ("agree" covers "agreed", "agrees").
"""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache

# Each line, one group. Prefer a missed synonym to a wrong one: a group that joins
# words of different meaning lets an outside sentence borrow a passage's content.
GROUPS: tuple[tuple[str, ...], ...] = (
    ("agree", "agreed", "confirm", "confirmed", "concur", "concurred", "affirm", "affirmed",
     "reaffirm", "reaffirmed"),
    ("ban", "bans", "banned", "prohibit", "prohibits", "prohibited", "forbid", "forbids",
     "outlaw", "outlaws"),
    ("visit", "visited", "travel", "traveled", "travelled", "trip", "came", "went", "toured"),
    ("vital", "essential", "indispensable", "crucial", "critical", "key", "important"),
    ("cooperate", "cooperated", "cooperation", "collaborate", "collaborated", "collaboration",
     "worked", "partner", "partnered"),
    ("announce", "announced", "release", "released", "publish", "published", "unveil",
     "unveiled", "issue", "issued", "launched"),
    ("stress", "stressed", "emphasize", "emphasized", "emphasis", "highlight", "highlighted",
     "underline", "underlined", "prioritize", "prioritized"),
    ("show", "showed", "shown", "showing", "demonstrate", "demonstrated", "display",
     "displayed", "evidenced", "prove", "proved"),
    ("continue", "continued", "continues", "keep", "kept", "remain", "remained"),
    ("country", "countries", "nation", "nations"),
    ("world", "global", "international", "worldwide"),
    ("attack", "attacking", "attacks", "aggression", "invasion", "invade", "invading", "war"),
    ("lead", "led", "chair", "chaired", "head", "headed", "preside", "presided", "host",
     "hosted"),
    ("advance", "advanced", "progress", "progressed", "develop", "developed", "move", "moved"),
    ("severe", "serious", "harsh", "grave", "tough", "dangerous", "tense"),
    ("strengthen", "strengthened", "stronger", "bolster", "bolstered", "reinforce", "reinforced",
     "enhance", "enhanced", "boost", "boosted", "deepen", "deepened", "expand", "expanded"),
    ("relation", "relations", "relationship", "relationships", "ties"),
    ("support", "supported", "help", "helped", "assist", "assisted", "aid"),
    ("aim", "aims", "goal", "objective", "intend", "intends", "intention", "plan", "plans",
     "want", "wants", "seek", "seeks"),
    ("importance", "important", "matter", "matters", "significance", "significant",
     "priority"),
    ("divided", "dividing", "divide", "split", "polarized", "fractured", "confrontational"),
    ("begin", "began", "start", "started", "inaugurated", "installed"),
    ("talk", "talks", "meeting", "meetings", "summit", "summits", "met", "meet"),
    ("fight", "fighting", "combat", "combating", "counter", "countering", "tackle",
     "tackling", "against"),
    ("monitor", "monitoring", "surveillance", "watch", "patrol", "patrols"),
    ("exercise", "exercises", "drill", "drills", "training"),
    ("ally", "allies", "allied", "alliance"),
    ("say", "said", "says", "declare", "declared", "clear"),
    ("big", "large", "major", "broad", "wide"),
    ("close", "closely", "tight", "tightly"),
    ("nuclear", "atomic"),
    ("missile", "missiles", "rocket", "rockets"),
    ("deal", "agreement", "accord", "treaty", "pact"),
    ("defense", "defence", "military"),
)


@lru_cache(maxsize=1)
def _table(stem: Callable[[str], str]) -> dict[str, frozenset[str]]:
    """Each word's stem -> the stems of every word it can stand for."""
    table: dict[str, set[str]] = {}
    for group in GROUPS:
        stems = {stem(w) for w in group}
        for s in stems:
            table.setdefault(s, set()).update(stems - {s})
    return {k: frozenset(v) for k, v in table.items()}


def synonym_stems(word_stem: str, stem: Callable[[str], str]) -> frozenset[str]:
    """The stems of the words that can stand for *word_stem* (itself excluded)."""
    return _table(stem).get(word_stem, frozenset())
