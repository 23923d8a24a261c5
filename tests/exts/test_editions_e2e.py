"""Editions on Discord: the edition option, its autocomplete, and the buttons that keep it."""

from __future__ import annotations

from bot.client import BluebookBot
from tests.exts.discordkit import answer_of, buttons, no_pings
from tests.fakediscord import FakeDiscord


async def test_quote_in_one_edition_and_next_match_stays_there(
        bot: BluebookBot, fake_discord: FakeDiscord) -> None:
    handle = await fake_discord.autocomplete("quote", {"text": "linchpin", "edition": "20"},
                                             "edition")
    assert [c["value"] for c in await handle.choices()] == ["2025", "2010"]
    message = await answer_of(await fake_discord.slash_command(
        "quote", {"text": "the japan-u.s. alliance is the linchpin of japanese diplomacy",
                  "edition": "2010"}))
    no_pings(message)
    assert "Diplomatic Bluebook 2010" in str(message["embeds"][0])
    ids = [b.get("custom_id", "") for row in message["components"] for b in row["components"]]
    paging = [i for i in ids if i.startswith(("bb1:match", "bb1:verify"))]
    assert paging and all("2010" in i for i in paging)


async def test_a_passage_has_a_button_to_the_other_edition(
        bot: BluebookBot, fake_discord: FakeDiscord) -> None:
    handle = await fake_discord.slash_command("passage", {"id": "dbb2025-na.overview.p2"})
    message = await answer_of(handle)
    assert handle.original is not None
    other = buttons(message)["2010 edition"]
    reply = await answer_of(await fake_discord.click_button(
        other, message=int(handle.original["id"])))
    assert "Diplomatic Bluebook 2010" in str(reply["embeds"][0])
