"""Ingestion keeps the author's words verbatim and logs everything it cleans."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.core.quotes.corpus import Corpus, DocumentMeta
from bot.core.quotes.ingest import parse_document
from bot.core.quotes.text import words
from bot.storage.corpus_files import load_corpus
from tests.conftest import CORPUS, SEEDS

FILES = {
    "dbb2025-na": "dbb2025-ch2-s3-north-america.txt",
    "dbb2010-na": "dbb2010-north-america.txt",
}


@pytest.fixture(scope="module")
def corpus() -> Corpus:
    return load_corpus(CORPUS)


@pytest.mark.skipif(not SEEDS.is_dir(), reason="shared seeds not beside the checkout")
def test_shipped_corpus_files_are_the_seeds_unchanged() -> None:
    seeds = {p.read_bytes() for p in SEEDS.glob("*.txt")}
    assert {(CORPUS / name).read_bytes() for name in FILES.values()} == seeds


@pytest.mark.parametrize("doc_id", sorted(FILES))
def test_every_word_outside_removed_chrome_lands_in_exactly_one_passage(
        corpus: Corpus, doc_id: str) -> None:
    doc = corpus.documents[doc_id]
    removed = {c.line for c in doc.cleaning if c.kind in ("chrome", "duplicate-caption")}
    raw = (CORPUS / FILES[doc_id]).read_text(encoding="utf-8").replace("´┐Ż", "'")
    kept = [line for n, line in enumerate(raw.splitlines(), 1) if n not in removed]
    source_words = words("\n".join(kept))
    passage_words = [w for p in doc.passages for w in words(p.text)]
    assert passage_words == source_words  # same words, same order: each exactly once


def test_the_cleaning_log_names_each_cleaning(corpus: Corpus) -> None:
    log = {(c.document_id, c.line, c.kind) for c in corpus.cleaning}
    assert log == {
        ("dbb2010-na", 1, "chrome"),  # "Contents | Back | Next"
        ("dbb2010-na", 16, "chrome"),  # "Text File"
        ("dbb2010-na", 12, "duplicate-caption"),
        ("dbb2010-na", 14, "encoding"),  # public´┐Żs
        ("dbb2025-na", 26, "bullet"),
    }
    p3 = corpus.get("dbb2010-na.north-america.p3")
    assert p3 is not None and "Canadian public's interest awareness toward in Japan." in p3.text


def test_structure_sections_captions_and_footnotes(corpus: Corpus) -> None:
    p7 = corpus.get("dbb2025-na.overview.p7")
    assert p7 is not None
    assert p7.citation == "Diplomatic Bluebook 2025, Ch. 2 §3 North America — Overview, ¶7"
    assert p7.subsection == "Japan's Diplomatic Relations with North America"
    note = corpus.get("dbb2025-na.overview.n1")
    assert note is not None and note.kind == "footnote"
    assert note.text.startswith("(1) In this context, “ship-to-ship transfers”")
    assert note.cited_by == "dbb2025-na.overview.p4"
    p4 = corpus.get("dbb2025-na.overview.p4")
    assert p4 is not None and p4.cites == ("dbb2025-na.overview.n1",)
    caption = corpus.get("dbb2010-na.north-america.c1")
    assert caption is not None and caption.kind == "caption"
    assert [p.kind for p in corpus.documents["dbb2010-na"].passages].count("caption") == 1
    paragraphs = [p.id for p in corpus if p.kind == "paragraph"]
    assert len(paragraphs) == 10


def test_passage_ids_do_not_move_when_text_is_added_elsewhere(tmp_path: Path) -> None:
    base = "1 Overview\n\nFirst paragraph here.\n\n2 Details\n\nA detail paragraph.\n"
    grown = ("1 Overview\n\nFirst paragraph here.\n\nA new second paragraph.\n\n"
             "2 Details\n\nA detail paragraph.\n")
    meta = DocumentMeta(id="doc", title="Doc")
    before = {p.text: p.id for p in parse_document(base, meta).passages}
    after = {p.text: p.id for p in parse_document(grown, meta).passages}
    assert after["A detail paragraph."] == before["A detail paragraph."]
    assert after["First paragraph here."] == before["First paragraph here."]
    # ... and adding a whole document leaves every existing id alone.
    (tmp_path / "a.txt").write_text(base)
    first = [p.id for p in load_corpus(tmp_path)]
    (tmp_path / "b.txt").write_text(grown)
    assert [p.id for p in load_corpus(tmp_path) if p.document_id == "a"] == first


def test_hard_wrapped_paragraphs_are_rejoined() -> None:
    doc = parse_document("Title\n\nThis paragraph was\nwrapped by an editor.\n",
                         DocumentMeta(id="d", title="D"))
    assert doc.passages[-1].text == "This paragraph was wrapped by an editor."


def test_notes_that_restart_their_numbering_still_get_distinct_ids() -> None:
    text = ("1 Overview\n\nA claim,(1) and another.\n\n(1) The first note.\n\n"
            "A second claim.(1)\n\n(1) A note that restarts at one.\n")
    doc = parse_document(text, DocumentMeta(id="d", title="D"))
    notes = [p.id for p in doc.passages if p.kind == "footnote"]
    assert notes == ["d.overview.n1", "d.overview.n1-2"]
    cites = [p.cites for p in doc.passages if p.kind == "paragraph"]
    assert cites == [("d.overview.n1",), ("d.overview.n1-2",)]
    Corpus.of([doc])  # loads: no duplicate ids
