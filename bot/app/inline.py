"""Looking up the quotations written in a text: the inline answers in Discord,
``bluebook-bot scan`` and the shell's ``/scan`` share this."""

from __future__ import annotations

from collections.abc import Sequence

from bot.core.errors import UserError
from bot.core.inline.answer import Checked
from bot.core.inline.extract import MAX_PER_MESSAGE, Mode, Quotation, extract
from bot.core.quotes.matching import QuoteEngine


def check(engine: QuoteEngine, quotations: Sequence[Quotation], top: int = 3) -> list[Checked]:
    """Each quotation looked up (blocking: the bot runs this on its search thread)."""
    out = []
    for q in quotations:
        try:
            out.append(Checked(q, engine.find(q.text, top=top)))
        except UserError as exc:
            out.append(Checked(q, None, str(exc)))
    return out


def check_text(engine: QuoteEngine, text: str, mode: Mode = "quotes",
               limit: int | None = MAX_PER_MESSAGE, top: int = 3) -> list[Checked]:
    """The quotations found in *text* (see :func:`~bot.core.inline.extract.extract`), checked."""
    return check(engine, extract(text, mode, limit), top)
