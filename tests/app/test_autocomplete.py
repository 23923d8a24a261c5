import random

import pytest

from bot.app import autocomplete
from bot.app.autocomplete import MAX_CHOICES, PROVIDERS, complete
from bot.app.commands import REGISTRY
from bot.app.services import Services
from bot.core.quotes.text import preview
from bot.storage.index_cache import load_engine


def test_every_declared_provider_exists() -> None:
    for command in REGISTRY:
        for param in command.params:
            assert param.autocomplete is None or param.autocomplete in PROVIDERS


def test_choices_respect_discord_limits(services: Services) -> None:
    for name in PROVIDERS:
        for current in ("", "a", "only ally", "dbb", "x" * 300):
            choices = complete(services, name, current)
            assert len(choices) <= MAX_CHOICES
            assert all(0 < len(c.name) <= 100 and 0 < len(c.value) <= 100 for c in choices)


def test_quote_text_previews_lead_to_the_passage(services: Services) -> None:
    choices = complete(services, "quote_text", "only ally")
    assert choices[0].value == "only ally"  # what was typed stays submittable
    picked = choices[1].value
    assert "only ally" in picked
    reply = REGISTRY.run(services, "quote", {"text": picked})
    assert reply.cards[0].title == "Exact quotation"


def test_id_providers(services: Services) -> None:
    assert complete(services, "passage_id", "overview.p6")[0].value == "dbb2025-na.overview.p6"
    assert complete(services, "fact_id", "only")[0].value == "only-ally"
    assert complete(services, "topic", "")[0].value == "alliance"
    assert complete(services, "document", "2010")[0].value == "dbb2010-na"
    assert complete(services, "command", "ver")[0].value == "verify"
    services.deck = None
    assert complete(services, "fact_id", "only") == []


def test_passage_ids_typed_first_then_texts_then_near_misses(services: Services) -> None:
    # dbb2010 comes after dbb2025 in reading order, but its ids start with what was typed.
    values = [c.value for c in complete(services, "passage_id", "dbb2010")]
    assert [v[:7] for v in values[:5]] == ["dbb2010"] * 5
    assert values[5:] and all(v.startswith("dbb2025") for v in values[5:])
    assert [c.value for c in complete(services, "passage_id", "linchpin")] == [
        "dbb2010-na.north-america.p1"]
    misspelt = complete(services, "passage_id", "ovrview")
    assert misspelt and all(".overview." in c.value for c in misspelt)


@pytest.fixture(scope="module")
def big(tmp_path_factory: pytest.TempPathFactory) -> Services:
    """Three chapters of 1,000 passages each, one of them a very long paragraph."""
    folder = tmp_path_factory.mktemp("big")
    for n in range(3):
        paragraphs = [f"Paragraph {i} of chapter {n} on the alliance." for i in range(999)]
        paragraphs.append("The alliance endures. " * 3000)
        (folder / f"chapter-{n}.txt").write_text("Talks\n\n" + "\n\n".join(paragraphs) + "\n",
                                                 encoding="utf-8")
    return Services(load_engine(folder, use_cache=False), None, random.Random(1))


def test_passage_ids_on_a_big_corpus_preview_only_the_choices_shown(
        big: Services, monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[int] = []

    def counted(text: str, limit: int) -> str:
        calls.append(len(text))
        return preview(text, limit)

    monkeypatch.setattr(autocomplete, "preview", counted)
    first = complete(big, "passage_id", "")
    assert [c.value for c in first] == [p.id for p in big.engine.corpus.passages[:MAX_CHOICES]]
    assert [c.value for c in complete(big, "passage_id", "chapter-2.talks.p99")][:2] == [
        "chapter-2.talks.p99", "chapter-2.talks.p990"]
    # The 66,000-character paragraph loads in parts of a readable size: p1000, p1000-2…
    assert [c.value for c in complete(big, "passage_id", "p1000")][:2] == [
        "chapter-0.talks.p1000", "chapter-0.talks.p1000-2"]
    assert len(calls) <= 3 * MAX_CHOICES  # a name per choice shown, not per passage
    assert max(calls) <= 400  # and of a bounded prefix, even of the 66,000-character passage
    long = complete(big, "passage_id", "chapter-0.talks.p1000")[0]
    assert long.name.startswith("chapter-0.talks.p1000 · The alliance endures.")
    assert long.name.endswith("…") and len(long.name) <= 100
