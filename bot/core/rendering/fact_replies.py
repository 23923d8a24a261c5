"""Builders for fact cards and topics: the fact side of :mod:`bot.core.rendering.replies`."""

from __future__ import annotations

from bot.core.facts.model import Deck, FactCard
from bot.core.rendering.cards import Action, Field, Reply, make_card
from bot.core.rendering.markup import escape

TOPIC_ACTIONS = 10


def fact_reply(card: FactCard, deck: Deck, citation: str, *, passage_id: str | None = None,
               span: tuple[int, int] | None = None, credit: str = "", url: str | None = None,
               topic: str | None = None) -> Reply:
    """One fact card: the statement, the Bluebook's own words behind it, and where next.

    *citation* is where the source quote sits (a passage citation, or the
    document's label when the passage is not known); *span*, where in that
    passage, so "Source" opens it with the quote in bold.
    """
    fields = [Field("Source", f"“{escape(card.source.quote)}”\n— {escape(citation)}")]
    labels = [deck.topics[t].label if t in deck.topics else t for t in card.topics]
    if labels:
        fields.append(Field("Topics", escape(", ".join(labels)), inline=True))
    if card.year is not None:
        fields.append(Field("Year", str(card.year), inline=True))
    others = [deck.get(i) for i in card.see_also]
    if card.see_also:
        fields.append(Field("See also", "\n".join(
            f"• {escape(o.title)} ({escape(o.id)})" if o else f"• {escape(i)}"
            for i, o in zip(card.see_also, others, strict=True))))
    footer = " · ".join(x for x in (f"Fact {card.id}", credit) if x)
    embed = make_card(escape(card.title), escape(card.body), tuple(fields), footer=footer,
                      url=url, accent="fact", citation=citation)
    # "Another" stays on the topic the reader asked for (or the card's only topic).
    same = topic or (card.topics[0] if len(card.topics) == 1 else None)
    actions = [Action.run("Another fact", "fact", "primary", topic=same)]
    if passage_id and span:
        actions.append(Action.run("Source", "highlight", id=passage_id, start=span[0],
                                  end=span[1]))
    elif passage_id:
        actions.append(Action.run("Source", "passage", id=passage_id))
    actions += [Action.run(o.title, "fact", id=o.id) for o in others[:3] if o is not None]
    return Reply((embed,), tuple(actions))


def topics_reply(deck: Deck) -> Reply:
    """Every topic with its card count, so people know what to ask for."""
    counts = {t: len(deck.by_topic(t)) for t in deck.topics}
    lines = [f"**{escape(t.label)}** ({escape(t.id)}) · {counts[t.id]} "
             f"card{'s' if counts[t.id] != 1 else ''}\n{escape(t.description)}"
             for t in deck.topics.values()]
    body = "\n\n".join(lines) or "No topics are declared yet."
    card = make_card("Topics", body, footer=f"{len(deck)} fact cards · /fact topic:<id>",
                     accent="fact")
    actions = tuple(Action.run(t.label, "fact", topic=t.id)
                    for t in list(deck.topics.values())[:TOPIC_ACTIONS] if counts[t.id])
    return Reply((card,), actions)
