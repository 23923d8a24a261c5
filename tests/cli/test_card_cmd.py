"""bluebook-bot card draft: a stub with the corpus's exact words that passes check once written."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from bot.cli import main
from tests.conftest import CORPUS

FACTS = CORPUS.parent / "facts"


def test_a_drafted_card_passes_check_once_its_title_and_body_are_written(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    facts = tmp_path / "facts"
    shutil.copytree(FACTS, facts)
    # Typed loosely and too short for a card: the stub holds the corpus's whole sentence.
    assert main(["card", "draft", "linchpin of japanese diplomacy", "--facts", str(facts)]) == 0
    stub = capsys.readouterr().out
    assert ('quote: "Japan and the United States are allies sharing values and strategic '
            'interests, and the Japan-U.S. alliance is the linchpin of Japanese diplomacy."'
            ) in stub
    assert "document: dbb2010-na" in stub and "year: 2010" in stub
    assert "# Diplomatic Bluebook 2010 — North America, ¶1" in stub
    assert "alliance" in stub.split("topics: [", 1)[1].split("]", 1)[0]  # suggested
    new = facts / "drafts.yaml"
    assert main(["card", "draft", "linchpin of japanese diplomacy", "--facts", str(facts),
                 "--topic", "alliance", "--append", str(new)]) == 0
    assert main(["check", "--facts", str(facts)]) == 2  # title and body still to write
    text = new.read_text(encoding="utf-8")
    new.write_text(text.replace('title: ""', "title: Allies sharing values", 1).replace(
        'body: ""', "body: The Bluebook calls Japan and the United States allies sharing values.",
        1), encoding="utf-8")
    capsys.readouterr()
    assert main(["check", "--facts", str(facts)]) == 0, capsys.readouterr().err


def test_a_quotation_that_is_not_in_the_corpus_drafts_nothing(
        capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["card", "draft", "penguins march across the frozen antarctic ice"]) == 1
    assert "no passage has these words" in capsys.readouterr().err
