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
# The groups were drawn up from the corpus's own verbs, nouns and adjectives (what
# else a reader may say for each), not from an evaluation set's quotations.
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
    ("continue", "continued", "continues", "continuing", "keep", "kept", "remain", "remained"),
    ("country", "countries", "nation", "nations"),
    ("world", "global", "international", "worldwide"),
    ("attack", "attacking", "attacks", "aggression", "invasion", "invade", "invading", "war"),
    ("lead", "led", "chair", "chaired", "head", "headed", "preside", "presided", "host",
     "hosted"),
    ("advance", "advanced", "progress", "progressed", "develop", "developed", "move", "moved"),
    ("severe", "serious", "harsh", "grave", "tough", "dangerous", "tense"),
    ("strengthen", "strengthened", "stronger", "bolster", "bolstered", "reinforce",
     "reinforced", "enhance", "enhanced", "boost", "boosted", "deepen", "deepened", "expand",
     "expanded"),
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
     "tackling", "address", "addressing", "against"),
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
    # The corpus's other words, one group each.
    ("function", "functioned", "work", "worked", "working", "operate", "operated", "serve",
     "served"),
    ("fundamental", "basic", "core", "underlying"),
    ("framework", "structure", "basis", "foundation"),
    ("linchpin", "cornerstone", "centerpiece", "backbone", "bedrock", "foundation"),
    ("escalation", "escalating", "rise", "rising", "intensification", "intensifying"),
    ("tension", "tensions", "friction", "conflict", "conflicts"),
    ("attempt", "attempts", "effort", "efforts", "try", "tried", "bid"),
    ("change", "changed", "alter", "altered", "altering", "modify", "overturn"),
    ("solidarity", "unity"),
    ("value", "values", "principle", "principles", "ideal", "ideals"),
    ("build", "built", "develop", "developed", "establish", "established", "forge", "forged",
     "create", "created"),
    ("maintain", "maintaining", "preserve", "preserving", "sustain", "sustaining",
     "uphold", "upholding", "keep", "keeping", "safeguard"),
    ("outline", "outlines", "describe", "describes", "detail", "details"),
    ("commitment", "pledge", "promise", "dedication"),
    ("challenge", "challenges", "problem", "problems", "issue", "issues"),
    ("proactive", "active", "energetic", "vigorous"),
    ("especially", "particularly", "notably"),
    ("stance", "position", "posture", "attitude", "approach"),
    ("revise", "revised", "update", "updated", "amend", "amended"),
    ("conduct", "conducted", "carry", "carried", "hold", "held"),
    ("constant", "continuous", "regular", "ongoing", "frequent"),
    ("communication", "contact", "dialogue", "talks"),
    ("telephone", "phone"),
    ("bound", "tied", "linked", "united", "connected"),
    ("realize", "realizing", "achieve", "achieving", "attain", "attaining"),
    ("elevate", "raise", "lift"),
    ("steadily", "steady", "consistently", "gradually"),
    ("implement", "implementing", "execute", "apply", "enforce"),
    ("initiative", "initiatives", "effort", "efforts", "measure", "measures", "program",
     "programs"),
    ("prosperity", "wealth", "affluence", "growth"),
    ("instability", "insecurity", "uncertainty", "unrest"),
    ("extremely", "very", "highly", "exceptionally"),
    ("field", "fields", "area", "areas", "sector", "sectors", "domain", "domains"),
    ("politics", "political"),
    ("economy", "economic", "economies"),
    ("culture", "cultural"),
    ("ensure", "guarantee", "secure", "safeguard"),
    ("repeatedly", "often", "frequently", "consistently", "constantly"),
    ("marking", "mark", "celebrating", "celebrate", "commemorating", "commemorate"),
    ("conclusion", "concluded", "conclude", "signing", "signed", "sign"),
    ("theme", "topic", "subject", "agenda"),
    ("adapt", "adjust", "adapting", "adjusting"),
    ("concerted", "joint", "coordinated", "combined", "common"),
    ("concrete", "specific", "tangible", "practical"),
    ("measure", "measures", "step", "steps", "action", "actions"),
    ("enthusiastic", "warm", "eager", "hearty"),
    ("welcome", "reception"),
    ("citizen", "citizens", "people", "residents", "public"),
    ("descent", "ancestry", "origin", "heritage"),
    ("exchange", "exchanges", "visits", "contacts"),
    ("awareness", "interest", "attention", "understanding"),
    ("deeper", "closer", "stronger"),
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


# Words that say the opposite of one another: "weaker than ever" where the source
# says "stronger than ever" is a changed fact (kind "word"), not a rewording.
OPPOSITES: tuple[tuple[tuple[str, ...], tuple[str, ...]], ...] = (
    (("strong", "stronger", "strongest", "strengthen", "strengthened", "strengthening"),
     ("weak", "weaker", "weakest", "weaken", "weakened", "weakening")),
    (("increase", "increased", "increases", "increasing", "rise", "rose", "rising", "grow",
      "grew", "growing"),
     ("decrease", "decreased", "decreases", "decreasing", "fall", "fell", "falling",
      "decline", "declined", "declining", "shrink", "shrank")),
    (("more", "most"), ("less", "fewer", "least", "fewest")),
    (("first",), ("last",)),
    (("ally", "allies", "allied", "friend", "friends", "friendly"),
     ("enemy", "enemies", "adversary", "adversaries", "rival", "rivals", "hostile")),
    (("improve", "improved", "improving", "better"),
     ("worsen", "worsened", "worsening", "deteriorate", "deteriorated", "worse")),
    (("support", "supported", "supports", "welcomed", "endorsed"),
     ("oppose", "opposed", "opposes", "criticized", "condemned")),
    (("agree", "agreed", "agrees", "accept", "accepted", "approve", "approved"),
     ("disagree", "disagreed", "disagrees", "reject", "rejected", "refuse", "refused")),
    (("deepen", "deepened", "deeper", "closer"), ("distant", "cooler", "colder")),
    (("open",), ("closed",)),
    (("stable", "stability"), ("unstable", "instability")),
    (("peace", "peaceful"), ("war", "conflict")),
    (("legal",), ("illegal",)),
    (("bilateral",), ("multilateral",)),
    (("success", "successful", "succeeded"), ("failure", "failed", "unsuccessful")),
    (("divided", "divide", "divides", "dividing", "division", "polarized", "fragmented"),
     ("united", "unite", "unites", "uniting", "unified", "unity")),
    (("confrontational", "confrontation"), ("cooperative", "conciliatory")),
    (("severe", "harsh", "tense", "tenser", "tough", "tougher"),
     ("benign", "mild", "calm", "calmer", "relaxed", "easing")),
    (("close",), ("strained", "frosty")),
    (("proactive", "active"), ("passive", "inactive", "reluctant", "hesitant")),
    (("important", "importance", "essential", "indispensable", "vital"),
     ("unimportant", "unnecessary", "dispensable", "irrelevant", "marginal")),
    (("fair",), ("unfair",)),
    (("enthusiastic", "warm"), ("cold", "lukewarm", "unenthusiastic")),
    (("trust",), ("distrust", "mistrust")),
    (("friendship",), ("hostility", "enmity")),
    (("prosperity", "prosperous"), ("poverty", "recession")),
)
_SIDES: dict[str, tuple[int, int]] = {w: (at, side) for at, pair in enumerate(OPPOSITES)
                                      for side, words in enumerate(pair) for w in words}


def has_opposite(word: str) -> bool:
    return word in _SIDES


def opposite(a: str, b: str) -> bool:
    """Whether *a* says the opposite of *b* ("weaker", "stronger")."""
    sa, sb = _SIDES.get(a), _SIDES.get(b)
    return sa is not None and sb is not None and sa[0] == sb[0] and sa[1] != sb[1]
