"""Loading never fails on content: one bad file is a clear error, the rest serve."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from bot.cli import main
from bot.core.quotes.corpus import Corpus, DocumentMeta
from bot.core.quotes.ingest import MAX_PASSAGE_CHARS, parse_document
from bot.storage.corpus_files import corpus_problems, load_corpus

GOOD = "1 Overview\n\nJapan and Canada share fundamental values and principles.\n"


def test_dictionary_senses_and_list_items_are_not_headings() -> None:
    text = ("Merganser\n\n1. (Zool.) A fish-eating duck of the genus Mergus.\n\n"
            "2. (Zool.) The hooded merganser. [Local, U. S.]\n\n"
            "Smew\n\n2. (Zool.) The hooded merganser. [Local, U. S.]\n\n"
            "a) the first item of a list\n")
    doc = parse_document(text, DocumentMeta(id="text-15", title="T"))
    kinds = {p.text: p.kind for p in doc.passages}
    assert kinds["2. (Zool.) The hooded merganser. [Local, U. S.]"] == "paragraph"
    assert kinds["a) the first item of a list"] == "paragraph"
    Corpus.of([doc])  # no duplicate ids


def test_repeated_headings_get_distinct_logged_ids() -> None:
    text = "United States\n\nFirst text here.\n\nUnited-States\n\nSecond text here.\n"
    doc = parse_document(text, DocumentMeta(id="d", title="D"))
    ids = [p.id for p in doc.passages]
    assert len(ids) == len(set(ids))
    assert "d.united-states.h1-2" in ids
    assert [c.kind for c in doc.cleaning] == ["duplicate-id", "duplicate-id"]
    again = parse_document(text, DocumentMeta(id="d", title="D"))
    assert [p.id for p in again.passages] == ids  # deterministic


def test_a_long_single_line_is_split_at_sentences_with_stable_ids() -> None:
    sentence = "Japan will continue to work closely with its partners in the region. "
    text = "1 Overview\n\n" + sentence * 400 + "\n"
    doc = parse_document(text, DocumentMeta(id="d", title="D"))
    paragraphs = [p for p in doc.passages if p.kind == "paragraph"]
    assert len(paragraphs) > 5
    assert all(len(p.text) <= MAX_PASSAGE_CHARS for p in paragraphs)
    assert all(p.text.endswith("region.") for p in paragraphs)
    assert [p.id for p in paragraphs[:3]] == ["d.overview.p1", "d.overview.p1-2", "d.overview.p1-3"]
    assert {p.citation.rsplit(" ", 1)[-1] for p in paragraphs} == {"¶1"}
    unbroken = parse_document("x" * 10_000, DocumentMeta(id="e", title="E"))
    assert max(len(p.text) for p in unbroken.passages) <= MAX_PASSAGE_CHARS


def test_one_bad_file_is_named_and_every_other_document_serves(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "good.txt").write_text(GOOD, encoding="utf-8")
    (tmp_path / "latin1.txt").write_bytes(b"caf\xe9 au lait\n")
    (tmp_path / "binary.txt").write_bytes(b"\x89PNG\r\n\x1a\n\0\0\0")
    os.mkfifo(tmp_path / "pipe.txt")
    if Path("/dev/zero").exists():
        (tmp_path / "zero.txt").symlink_to("/dev/zero")
    (tmp_path / "page.html").write_text("<p>Hello</p>")
    (tmp_path / "report.docx").write_bytes(b"PK\3\4")
    corpus = load_corpus(tmp_path)
    assert list(corpus.documents) == ["good"]
    problems = "\n".join(map(str, corpus_problems(tmp_path).problems))
    assert "latin1.txt: not UTF-8 text" in problems
    assert "binary.txt: binary, not text" in problems
    assert "pipe.txt: not read: a FIFO" in problems
    if Path("/dev/zero").exists():
        assert "zero.txt: not read: a device" in problems
    unread = "\n".join(corpus_problems(tmp_path).unread)
    assert f"page.html: not read (.html); import it with: bluebook-bot import {tmp_path}" in unread
    assert "report.docx: not read (.docx)" in unread
    code = main(["check", "--corpus", str(tmp_path), "--facts", str(tmp_path / "nofacts")])
    out = capsys.readouterr()
    assert code == 2
    assert "latin1.txt: not UTF-8 text" in out.err and "page.html: not read" in out.out
    assert main(["quote", "Japan and Canada share fundamental values", "--corpus",
                 str(tmp_path)]) == 0
    assert main(["corpus", "--corpus", str(tmp_path)]) == 0
    assert "pipe.txt: not read: a FIFO" in capsys.readouterr().out
