"""Hostile YAML: alias bombs, cycles, deep nesting and duplicate keys are refused
quickly, with the file and line, in every kind of file the bot reads."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from bot.core.errors import ContentError
from bot.storage.config_file import load_config
from bot.storage.corpus_files import corpus_files
from bot.storage.facts_files import check_folder
from bot.storage.yamlfile import MAX_DEPTH, parse_yaml
from tests.factkit import FACTS

# 9 levels of 9 aliases each: 9**9 (387 million) strings once expanded.
BOMB = 'a0: &a0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n' + "".join(
    f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 9)}]\n" for i in range(1, 10))


def problems(text: str) -> list[str]:
    with pytest.raises(ContentError) as info:
        parse_yaml(text, "f.yaml")
    return [str(p) for p in info.value.problems]


def test_an_alias_bomb_is_refused_at_its_first_alias() -> None:
    assert problems(BOMB) == [
        "f.yaml:2: YAML aliases (*a0) are not allowed here; write the value out in full"]


def test_a_recursive_alias_is_refused() -> None:
    assert problems("documents: &r [*r]\n") == [
        "f.yaml:1: YAML aliases (*r) are not allowed here; write the value out in full"]


@pytest.mark.parametrize("text", ["[" * 3000 + "]" * 3000, "a:\n" + "".join(
    "  " * i + f"k{i}:\n" for i in range(1, 3000)) + "  " * 3000 + "end: 1\n"])
def test_deep_nesting_is_bounded(text: str) -> None:
    (message,) = problems(text)
    assert f"nested more than {MAX_DEPTH} levels deep" in message
    assert message.startswith("f.yaml:")


def test_reasonable_nesting_and_anchors_without_aliases_still_load() -> None:
    data, lines = parse_yaml("a: &x\n  b: [[1, 2], {c: 3}]\n", "f.yaml")
    assert data == {"a": {"b": [[1, 2], {"c": 3}]}}
    assert lines.line(("a", "b")) == 2


def test_duplicate_keys_are_errors_with_both_lines() -> None:
    assert problems("cards:\n  - id: x\n    title: One\n    title: Two\n"
                    "daily: []\ndaily: []\n") == [
        "f.yaml:4: cards[0].title: duplicate key (first given on line 3); give each key once",
        "f.yaml:6: daily: duplicate key (first given on line 5); give each key once"]


def test_a_config_with_daily_twice_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "config.yaml"
    path.write_text('daily:\n  - channel: 1\n    time: "07:00"\ndaily: []\n', encoding="utf-8")
    with pytest.raises(ContentError, match=r"config.yaml:4: daily: duplicate key"):
        load_config(path)


def test_a_bomb_in_a_fact_file_is_one_problem_and_the_other_files_still_load(
        tmp_path: Path, engine: object) -> None:
    facts = tmp_path / "facts"
    shutil.copytree(FACTS, facts)
    (facts / "zz-bomb.yaml").write_text(BOMB, encoding="utf-8")
    deck, found = check_folder(facts, engine)  # type: ignore[arg-type]
    assert [str(p) for p in found] == [
        f"{facts / 'zz-bomb.yaml'}:2: YAML aliases (*a0) are not allowed here; "
        "write the value out in full"]
    assert len(deck) > 10


def test_a_card_with_two_titles_is_a_problem(tmp_path: Path, engine: object) -> None:
    facts = tmp_path / "facts"
    shutil.copytree(FACTS, facts)
    card = facts / "2025-overview.yaml"
    text = card.read_text(encoding="utf-8")
    card.write_text(text.replace("    title:", "    title: Twice\n    title:", 1),
                    encoding="utf-8")
    _, found = check_folder(facts, engine)  # type: ignore[arg-type]
    assert any("2025-overview.yaml:" in str(p) and "title: duplicate key" in str(p)
               for p in found)


def test_topics_with_a_duplicate_key_is_a_problem(tmp_path: Path, engine: object) -> None:
    facts = tmp_path / "facts"
    shutil.copytree(FACTS, facts)
    topics = facts / "topics.yaml"
    topics.write_text(topics.read_text(encoding="utf-8").replace(
        "    label:", "    label: Twice\n    label:", 1), encoding="utf-8")
    _, found = check_folder(facts, engine)  # type: ignore[arg-type]
    assert any("topics.yaml:" in str(p) and "label: duplicate key" in str(p) for p in found)


def test_a_bomb_manifest_is_refused(tmp_path: Path) -> None:
    (tmp_path / "corpus.yaml").write_text("documents: &r [*r]\n", encoding="utf-8")
    with pytest.raises(ContentError, match=r"corpus.yaml:1: YAML aliases"):
        corpus_files(tmp_path)


def test_only_regular_files_of_bounded_size_are_read(tmp_path: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    import os

    from bot.storage import yamlfile

    fifo = tmp_path / "cards.yaml"
    os.mkfifo(fifo)  # reading it would block for ever
    with pytest.raises(ContentError, match="not a regular file"):
        yamlfile.read_yaml(fifo)
    big = tmp_path / "big.yaml"
    big.write_text("a: " + "x" * 200 + "\n")
    monkeypatch.setattr(yamlfile, "MAX_BYTES", 100)
    with pytest.raises(ContentError, match=r"big.yaml: too large \(204 bytes; at most 100\)"):
        yamlfile.read_yaml(big)


def test_a_fifo_in_the_facts_folder_is_one_problem(tmp_path: Path, engine: object) -> None:
    import os

    facts = tmp_path / "facts"
    shutil.copytree(FACTS, facts)
    os.mkfifo(facts / "zz-fifo.yaml")
    deck, found = check_folder(facts, engine)  # type: ignore[arg-type]
    assert [str(p) for p in found] == [f"{facts / 'zz-fifo.yaml'}: cannot read: not a regular file"]
    assert len(deck) > 10


@pytest.mark.parametrize(("text", "line", "why"), [
    ("a: " + "9" * 5000, 1, "invalid value"),  # int()'s digit limit
    ("b: 1\na: 0x" + "f" * 5000, 2, "number too large"),
    ("cards:\n  - year: 2001-13-45\n", 2, "month must be in 1..12"),
    ("a: !!int x\n", 1, "invalid value"), ("a: !!timestamp 99\n", 1, "invalid value"),
    ("a: !!bool maybe\n", 1, "invalid value"), ("a: !!float x\n", 1, "invalid value"),
])
def test_values_pyyaml_cannot_build_are_problems_not_crashes(text: str, line: int,
                                                             why: str) -> None:
    (message,) = problems(text)
    assert message.startswith(f"f.yaml:{line}: ") and why in message
