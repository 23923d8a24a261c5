"""Numbers as people write them: "sixty" and "60", "fiftieth" and "50th", "twenty one".

:func:`number_value` gives a word's value and whether it is a cardinal or an
ordinal, so that equivalent forms compare equal (:mod:`.variants`) and a changed
figure is told from a reworded one (:mod:`.misquote`).
"""

from __future__ import annotations

import re

_UNITS = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine",
          "ten", "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen",
          "eighteen", "nineteen"]
_TENS = {"twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70,
         "eighty": 80, "ninety": 90}
_ORDINAL_UNITS = ["zeroth", "first", "second", "third", "fourth", "fifth", "sixth", "seventh",
                  "eighth", "ninth", "tenth", "eleventh", "twelfth", "thirteenth",
                  "fourteenth", "fifteenth", "sixteenth", "seventeenth", "eighteenth",
                  "nineteenth"]
_ORDINAL_TENS = {"twentieth": 20, "thirtieth": 30, "fortieth": 40, "fiftieth": 50,
                 "sixtieth": 60, "seventieth": 70, "eightieth": 80, "ninetieth": 90}
CARDINALS: dict[str, int] = {w: n for n, w in enumerate(_UNITS)} | _TENS
ORDINALS: dict[str, int] = {w: n for n, w in enumerate(_ORDINAL_UNITS)} | _ORDINAL_TENS
NUMBER_WORDS = frozenset(CARDINALS) | frozenset(ORDINALS)
_DIGIT_ORDINAL = re.compile(r"(\d+)(?:st|nd|rd|th)")


def number_value(word: str) -> tuple[str, int] | None:
    """("c", n) for a cardinal ("sixty", "60"), ("o", n) for an ordinal ("fiftieth", "50th")."""
    if word.isdigit():
        return "c", int(word)
    if word in CARDINALS:
        return "c", CARDINALS[word]
    if word in ORDINALS:
        return "o", ORDINALS[word]
    if not word[:1].isdigit():  # most words: no regex
        return None
    m = _DIGIT_ORDINAL.fullmatch(word)
    return ("o", int(m.group(1))) if m else None


def compound_value(first: str, second: str) -> tuple[str, int] | None:
    """"twenty one" -> ("c", 21), "twenty first" -> ("o", 21) (a hyphen splits them)."""
    if first not in _TENS:
        return None
    if second in CARDINALS and CARDINALS[second] < 10:
        return "c", _TENS[first] + CARDINALS[second]
    if second in ORDINALS and ORDINALS[second] < 10:
        return "o", _TENS[first] + ORDINALS[second]
    return None
