"""The shipped fact cards: valid, grounded, covering both documents, and schema-checked."""

from __future__ import annotations

import json
import random
import re
from functools import cache
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml

from bot.app.commands import REGISTRY
from bot.app.services import Services
from bot.core.facts.model import Deck
from bot.core.quotes.matching import QuoteEngine
from bot.core.rendering.markup import segments
from bot.storage.facts_files import TOPICS_FILE, card_paths, load_deck
from tests.factkit import FACTS

# Figures a body might state, checked here independently of the loader's own rule.
NUMBER_RE = re.compile(
    r"\b(?:\d[\d,.]*\w*|two|three|four|five|six|seven|eight|nine|ten|twenty|thirty|forty|"
    r"fifty|sixty|hundred)\b|\b(?:January|February|March|April|May|June|July|August|"
    r"September|October|November|December)\b", re.IGNORECASE)
CONTRASTS = [("linchpin-2010", "linchpin-2025"), ("allies-sharing-values", "only-ally"),
             ("canada-g8-partners", "canada-g7-partner"),
             ("g8-apec-2010", "canada-g7-presidency-2025"),
             ("obama-administration", "ishiba-trump"), ("hatoyama-linchpin", "ishiba-trump")]


@pytest.fixture()
def deck(engine: QuoteEngine) -> Deck:
    return _deck(engine)


@cache
def _deck(engine: QuoteEngine) -> Deck:
    return load_deck(FACTS, engine)


def test_every_shipped_card_validates(deck: Deck) -> None:
    assert len(deck) >= 40


def test_every_passage_of_both_documents_is_covered(deck: Deck, engine: QuoteEngine) -> None:
    covered = set()
    for card in deck:
        result = engine.find(card.source.quote)
        assert result.verdict == "exact", card.id
        assert result.match is not None and result.match.passage.id == card.source.passage
        assert result.match.passage.document_id == card.source.document
        covered.add(result.match.passage.id)
    text_passages = {p.id for p in engine.corpus if p.kind != "heading"}
    assert text_passages - covered == set()
    assert {"dbb2025-na.overview.n1", "dbb2010-na.north-america.c1"} <= text_passages


def test_every_topic_has_at_least_three_cards(deck: Deck) -> None:
    counts = {t: len(deck.by_topic(t)) for t in deck.topics}
    assert min(counts.values()) >= 3, counts


def test_figures_in_a_body_appear_in_its_quote(deck: Deck, engine: QuoteEngine) -> None:
    for card in deck:
        edition = engine.corpus.documents[card.source.document].meta.edition
        quote = card.source.quote.casefold()
        for figure in NUMBER_RE.findall(card.body):
            if figure == "May" or figure.rstrip(".,") == str(edition):
                continue
            assert figure.casefold().rstrip(".,") in quote, (card.id, figure)


def test_contrast_cards_link_each_other(deck: Deck) -> None:
    for old, new in CONTRASTS:
        assert new in deck.cards[old].see_also, (old, new)
        assert old in deck.cards[new].see_also, (new, old)
    editions = deck.by_topic("editions")
    for card in editions:
        other = "dbb2025-na" if card.source.document == "dbb2010-na" else "dbb2010-na"
        assert any(deck.cards[s].source.document == other for s in card.see_also), card.id


def test_see_also_links_are_mutual(deck: Deck) -> None:
    for card in deck:
        for other in card.see_also:
            assert card.id in deck.cards[other].see_also, (card.id, other)


def _schema(name: str) -> dict[str, Any]:
    schema: dict[str, Any] = json.loads((FACTS / name).read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    return schema


def _yaml(path: Path) -> Any:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def test_the_json_schemas_accept_every_shipped_file() -> None:
    jsonschema.validate(_yaml(FACTS / TOPICS_FILE), _schema("topics.schema.json"))
    schema = _schema("schema.json")
    paths = card_paths(FACTS)
    assert len(paths) >= 2
    for path in paths:
        jsonschema.validate(_yaml(path), schema)
        first = path.read_text(encoding="utf-8").splitlines()[0]
        assert first == "# yaml-language-server: $schema=schema.json", path


def test_the_schema_knows_exactly_the_declared_topics() -> None:
    declared = [t["id"] for t in _yaml(FACTS / TOPICS_FILE)["topics"]]
    assert _schema("schema.json")["$defs"]["topic"]["enum"] == declared


@pytest.mark.parametrize(("change", "complaint"), [
    ({"colour": "red"}, "Additional properties"),
    ({"title": "x" * 257}, "is too long"),
    ({"topics": ["alliance", "nope"]}, "is not one of"),
    ({"year": "2010"}, "is not of type 'integer'"),
    ({"source": {"document": "dbb2025-na"}}, "'quote' is a required property"),
])
def test_the_schema_rejects_a_broken_card(change: dict[str, Any], complaint: str) -> None:
    card = dict(_yaml(card_paths(FACTS)[0])["cards"][0], **change)
    with pytest.raises(jsonschema.ValidationError, match=complaint):
        jsonschema.validate({"cards": [card]}, _schema("schema.json"))


def test_every_cards_source_button_fits_and_bolds_its_quote(engine: QuoteEngine) -> None:
    deck = _deck(engine)
    services = Services(engine, deck, random.Random(1))
    for card in deck:
        reply = REGISTRY.run(services, "fact", {"id": card.id})
        source = next(a for a in reply.actions if a.label == "Source")
        assert source.command == "highlight", card.id  # the quote's span was found
        custom_id = source.custom_id()
        assert custom_id is not None, card.id
        opened = REGISTRY.run_custom_id(services, custom_id)
        assert opened is not None and not opened.error
        bolded = "".join(s.text for s in segments(opened.cards[0].description) if s.bold)
        assert bolded.split() == card.source.quote.split(), card.id
