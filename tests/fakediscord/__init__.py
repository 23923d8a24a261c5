"""A loopback fake of Discord's REST API and gateway for end-to-end tests of discord.py bots.

Use the ``fake_discord`` pytest fixture (registered in ``tests/conftest.py``), then::

    bot = MyBot(..., guild_ready_timeout=0.1)       # a real discord.Client / commands.Bot
    async with fake_discord.running(bot):           # login + gateway + wait_until_ready
        await bot.tree.sync(guild=discord.Object(fake_discord.guild_id))
        handle = await fake_discord.slash_command("fact show", {"topic": "ODA"})
        callback = await handle.callback()          # bounded wait for the bot's answer
        assert callback.type == 5                   # deferred
        assert (await handle.followup()).data["content"].startswith("ODA")
        assert fake_discord.messages_in(fake_discord.text_channel_id)

See ``test_fake_*.py`` for every helper in use, and ``server.py`` for the full API (its
docstring names the module behind each part).
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
