"""Replies built from the corpus: the steps a reader is offered next."""

from __future__ import annotations

from bot.core.quotes.corpus import Corpus, DocumentMeta
from bot.core.quotes.ingest import parse_document
from bot.core.rendering.replies import passage_reply


def test_a_passage_next_to_its_own_footnote_offers_each_step_once() -> None:
    doc = parse_document("1 Overview\n\nA claim,(1) cited twice.(1)\n\n(1) The note.\n\n"
                         "After the note.\n", DocumentMeta(id="d", title="D"))
    corpus = Corpus.of([doc])
    for passage in corpus:
        targets = [(a.command, a.args) for a in passage_reply(corpus, passage).actions]
        assert len(targets) == len(set(targets)), passage.id
    paragraph = corpus.get("d.overview.p1")
    assert paragraph is not None
    labels = [a.label for a in passage_reply(corpus, paragraph).actions]
    assert "Footnote 1" in labels and "Next passage" not in labels
