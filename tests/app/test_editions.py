"""Editions: /quote, /verify and /search limited to one year; /passage links the others."""

from __future__ import annotations

from pathlib import Path

from bot.app.autocomplete import complete
from bot.app.commands import REGISTRY
from bot.app.services import Services
from bot.storage.index_cache import load_engine
from tests.conftest import CORPUS

LINCHPIN = "the Japan-U.S. alliance is the linchpin of Japanese diplomacy"


def _services() -> Services:
    return Services(load_engine(CORPUS))


def test_quote_and_verify_look_only_in_the_edition_asked_for() -> None:
    services = _services()
    in_2010 = REGISTRY.run(services, "quote", {"text": LINCHPIN, "edition": "2010"})
    citation = in_2010.cards[0].fields[1].value
    assert "Diplomatic Bluebook 2010" in citation
    paging = [a for a in in_2010.actions if a.command in ("match", "verify")]
    assert paging and all(a.kwargs.get("edition") == "2010" for a in paging)
    verified = REGISTRY.run(services, "verify", {"text": LINCHPIN, "edition": "2010"})
    assert "2010" in str(verified.cards[0])
    missing = REGISTRY.run(services, "quote", {"text": LINCHPIN, "edition": "1999"})
    assert missing.outcome != "ok" and "editions: 2025, 2010" in missing.cards[0].description


def test_search_by_edition_and_the_edition_choices() -> None:
    services = _services()
    reply = REGISTRY.run(services, "search", {"query": "alliance", "edition": "2010"})
    opened = [a.kwargs["id"] for a in reply.actions if a.command == "passage"]
    assert opened and all(str(i).startswith("dbb2010-na.") for i in opened)
    choices = complete(services, "edition", "")
    assert [c.value for c in choices] == ["2025", "2010"]


def test_a_passage_links_the_same_section_in_the_other_edition() -> None:
    services = _services()
    reply = REGISTRY.run(services, "passage", {"id": "dbb2025-na.overview.p2"})
    links = {a.label: a.kwargs["id"] for a in reply.actions}
    assert links["2010 edition"] == "dbb2010-na.north-america.h1"
    back = REGISTRY.run(services, "passage", {"id": "dbb2010-na.north-america.p2"})
    assert {a.label: a.kwargs["id"] for a in back.actions}["2025 edition"].startswith(
        "dbb2025-na.overview.")


def test_each_editions_documents_load_together(tmp_path: Path) -> None:
    for name in ("a-2010.txt", "b-2025.txt", "c-2010.txt"):
        (tmp_path / name).write_text("1 Overview\n\nJapan values its partners.\n")
    from bot.storage.corpus_files import load_corpus

    assert list(load_corpus(tmp_path).documents) == ["a-2010", "c-2010", "b-2025"]
