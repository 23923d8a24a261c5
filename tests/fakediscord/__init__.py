"""A loopback fake of Discord's REST API and gateway for end-to-end tests of discord.py bots.

Use the ``fake_discord`` pytest fixture (registered in ``tests/conftest.py``), then::

    async with fake_discord.running(bot):
        await bot.tree.sync(guild=discord.Object(fake_discord.guild_id))
        handle = await fake_discord.slash_command("fact", {"topic": "ODA"})
        callback = await handle.callback()
"""

from .server import (
    FakeDiscord,
    Fault,
    InteractionHandle,
    InteractionResponse,
    RecordedRequest,
    json_response,
)

__all__ = [
    "FakeDiscord",
    "Fault",
    "InteractionHandle",
    "InteractionResponse",
    "RecordedRequest",
    "json_response",
]
