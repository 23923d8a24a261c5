"""A server's /settings over config.yaml: what its commands see."""

from __future__ import annotations

from bot.app.guild_config import apply_settings, with_edition
from bot.app.registry import Command, Param
from bot.core.rendering.cards import Reply
from bot.core.settings.model import GuildSettings
from bot.storage.config_file import Config


def _handler(services: object, **kwargs: object) -> Reply:
    raise AssertionError("not run")


def test_private_and_alternatives_override_the_config() -> None:
    config = Config()
    assert apply_settings(config, GuildSettings()) is config
    changed = apply_settings(config, GuildSettings(private=True, alternatives=0))
    assert changed.quote.ephemeral is True and changed.quote.alternatives == 0
    assert config.quote.ephemeral is False  # the shared config is untouched


def test_the_default_edition_fills_an_edition_option_left_out() -> None:
    with_option = Command("quote", (Param("text", "t"), Param("edition", "e")), _handler)
    without = Command("verify", (Param("text", "t"),), _handler)
    settings = GuildSettings(edition=2010)
    assert with_edition(with_option, {"text": "x"}, settings) == {"text": "x", "edition": "2010"}
    assert with_edition(with_option, {"text": "x", "edition": "2025"}, settings)["edition"] \
        == "2025"
    assert with_edition(without, {"text": "x"}, settings) == {"text": "x"}
    assert with_edition(with_option, {"text": "x"}, None) == {"text": "x"}
