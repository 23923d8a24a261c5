from bot.app.autocomplete import MAX_CHOICES, PROVIDERS, complete
from bot.app.commands import REGISTRY
from bot.app.services import Services


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
