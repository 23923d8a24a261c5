"""A server's ``/settings`` applied over ``config.yaml``: the config its commands see."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace

from bot.app.registry import Command
from bot.app.services import Services
from bot.core.settings.model import GuildSettings
from bot.storage.config_file import Config


def apply_settings(config: Config, settings: GuildSettings) -> Config:
    """*config* with the server's choices for private answers and alternatives.

    The default edition is not part of the config: :func:`with_edition` gives it
    to the commands that take an ``edition`` option."""
    update: dict[str, object] = {}
    if settings.private is not None:
        update["ephemeral"] = settings.private
    if settings.alternatives is not None:
        update["alternatives"] = settings.alternatives
    if not update:
        return config
    return config.model_copy(update={"quote": config.quote.model_copy(update=update)})


def services_with(services: Services, settings: GuildSettings | None) -> Services:
    """*services* as one server sees them (a shallow copy: the engine and deck are shared)."""
    if settings is None:
        return services
    config = apply_settings(services.config, settings)
    return services if config is services.config else replace(services, config=config)


EDITION = "edition"


def takes_edition(command: Command) -> bool:
    return command.param(EDITION) is not None


def with_edition(command: Command, args: Mapping[str, object],
                 settings: GuildSettings | None) -> dict[str, object]:
    """*args* with the server's default edition where the command has an ``edition``
    option and the member left it out."""
    out = dict(args)
    if (settings is not None and settings.edition is not None and takes_edition(command)
            and out.get(EDITION) is None):
        out[EDITION] = str(settings.edition)
    return out
