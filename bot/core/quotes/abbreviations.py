"""Short forms whose letters are not the initials of what they stand for.

"PM" is "Prime Minister", "Feb" is "February", "Joe" is "Joseph": :mod:`.variants`
rewrites a quotation's short form into the long one where the passage has it.
Acronyms whose letters are initials ("NSS") need no table: they are derived from
the passage itself.
"""

from __future__ import annotations

# Abbreviations whose letters are not simply the initials of the words.
ABBREVIATIONS: dict[str, tuple[tuple[str, ...], ...]] = {
    "us": (("united", "states"), ("america",)),
    "usa": (("united", "states"), ("us",)),
    "uk": (("united", "kingdom"), ("britain",)),
    "un": (("united", "nations"),),
    "unsc": (("un", "security", "council"), ("united", "nations", "security", "council")),
    "pm": (("prime", "minister"),),
    "fm": (("foreign", "minister"), ("minister", "for", "foreign", "affairs"),
           ("minister", "of", "foreign", "affairs")),
    "wwii": (("world", "war", "ii"),),
    "ww2": (("world", "war", "ii"),),
    "wwi": (("world", "war", "i"),),
    "yrs": (("years",),),
    # Months as people write them in a hurry ("Feb 2025").
    **{m[:3]: ((m,),) for m in ("january", "february", "march", "april", "june", "july",
                                "august", "september", "october", "november", "december")},
    "sept": (("september",),),
}
# Short forms of given names: "Joe Biden" is "Joseph Biden", not a changed name.
SHORT_FORMS = {"joe": "joseph", "bob": "robert", "jim": "james", "jimmy": "james",
               "mike": "michael", "tony": "anthony", "ben": "benjamin", "dick": "richard",
               "rick": "richard", "ted": "edward", "kate": "katherine", "liz": "elizabeth",
               "jack": "john", "don": "donald", "chris": "christopher", "dan": "daniel",
               "nick": "nicholas", "alex": "alexander", "sam": "samuel", "tom": "thomas",
               "steve": "stephen", "matt": "matthew", "pete": "peter", "andy": "andrew",
               "larry": "lawrence", "hank": "henry", "fred": "frederick"}
