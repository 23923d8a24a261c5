"""``fact``, ``facts``, ``topics`` and ``check`` as a user runs them."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bot.cli import main
from bot.cli.check_cmd import run_check
from bot.core.errors import Problem
from tests.factkit import FACTS, GOOD, cards, copy_shipped, line_of, write_facts

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(autouse=True)
def _cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BLUEBOOK_CACHE_DIR", str(tmp_path / "cache"))


def test_fact_by_id_shows_body_quote_and_citation(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["fact", "only-ally"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("The United States is Japan's only ally  [only-ally]")
    assert "“The United States (U.S.) is Japan's only ally.”" in out
    assert "Diplomatic Bluebook 2025" in out and "[dbb2025-na.overview.p2]" in out
    assert "See also: allies-sharing-values" in out


def test_fact_json(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["fact", "five-summits", "--json"]) == 0
    card = json.loads(capsys.readouterr().out)
    assert card["id"] == "five-summits" and card["topics"] == ["summitry", "alliance"]
    assert card["source"]["passage"] == "dbb2025-na.overview.p6"
    assert card["citation"].startswith("Diplomatic Bluebook 2025")


def test_unknown_fact_suggests_ids(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["fact", "onlyally"]) == 1
    assert "Did you mean: only-ally" in capsys.readouterr().err


def test_random_fact_from_a_topic_is_repeatable(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["fact", "--topic", "canada", "--seed", "4", "--json"]) == 0
    first = json.loads(capsys.readouterr().out)
    assert main(["fact", "--random", "--topic", "canada", "--seed", "4", "--json"]) == 0
    assert json.loads(capsys.readouterr().out) == first
    assert "canada" in first["topics"]


def test_fact_id_and_random_together_is_a_usage_error(
        capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["fact", "only-ally", "--random"]) == 2
    assert "not both" in capsys.readouterr().err


def test_facts_search_ranks_and_suggests(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["facts", "--search", "Hatoyama"]) == 0
    assert capsys.readouterr().out.startswith("hatoyama-linchpin ")
    assert main(["facts", "--search", "tariffs"]) == 1
    assert "No fact card matches 'tariffs'." in capsys.readouterr().out
    assert main(["facts", "--search", "onlyally", "--json"]) == 1
    result = json.loads(capsys.readouterr().out)
    assert result["cards"] == [] and result["did_you_mean"][0] == "only-ally"


def test_facts_by_topic(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["facts", "--topic", "editions"]) == 0
    out = capsys.readouterr().out
    assert "linchpin-2010" in out and "only-ally" in out and "kaedex24" not in out
    assert main(["facts", "--topic", "nope"]) == 2
    assert "no topic 'nope'" in capsys.readouterr().err


def test_topics_lists_labels_counts_and_descriptions(
        capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["topics", "--json"]) == 0
    topics = json.loads(capsys.readouterr().out)["topics"]
    assert topics[0]["id"] == "alliance" and topics[0]["cards"] >= 3
    assert main(["topics"]) == 0
    assert "Japan and Canada (" in capsys.readouterr().out


def test_check_passes_on_the_shipped_content(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check"]) == 0
    out = capsys.readouterr().out
    assert "corpus: 2 documents" in out and out.rstrip().endswith("OK")


def test_check_lists_every_problem_and_fails(tmp_path: Path,
                                             capsys: pytest.CaptureFixture[str]) -> None:
    folder = copy_shipped(tmp_path / "facts")
    bad = cards(GOOD.format(id="only-ally").replace("[alliance]", "[nope]"))
    (folder / "zz-broken.yaml").write_text(bad, encoding="utf-8")
    assert main(["check", "--facts", str(folder)]) == 2
    err = capsys.readouterr().err
    assert "2 problem(s)" in err
    assert f"zz-broken.yaml:{line_of(bad, '- id:')}: card 'only-ally': id: duplicate id" in err
    assert f"zz-broken.yaml:{line_of(bad, 'topics:')}: card 'only-ally': topics: unknown" in err


def test_commands_refuse_to_start_on_broken_facts(tmp_path: Path,
                                                  capsys: pytest.CaptureFixture[str]) -> None:
    folder = write_facts(tmp_path / "facts", {"a.yaml": cards(GOOD.format(id="Not A Slug"))})
    assert main(["fact", "--facts", str(folder)]) == 2
    assert "card 'Not A Slug': id:" in capsys.readouterr().err


def test_check_reports_a_broken_corpus_and_skips_the_facts(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "corpus.yaml").write_text("documents:\n  - id: x\n    file: missing.txt\n"
                                        "    title: X\n", encoding="utf-8")
    assert main(["check", "--corpus", str(corpus), "--facts", str(FACTS)]) == 2
    captured = capsys.readouterr()
    assert "no such file: missing.txt" in captured.err
    assert "fact cards not checked" in captured.out


def test_extra_problem_sources_are_included() -> None:
    extra = Problem("config.yaml", 3, "daily.channel", "unknown channel")
    report = run_check(ROOT / "corpus", FACTS, use_cache=False, extra=[lambda: [extra]])
    assert report.problems == [extra]


def test_check_flags_a_daily_topic_the_deck_lacks(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    config = tmp_path / "config.yaml"
    config.write_text('daily:\n  - channel: 1\n    time: "07:30"\n    topic: canada\n'
                      '  - channel: 2\n    time: "07:30"\n    topic: atlantis\n', encoding="utf-8")
    assert main(["check", "--config", str(config), "--no-cache"]) == 2
    err = capsys.readouterr().err
    assert "daily[1].topic: no topic 'atlantis'" in err and "daily[0]" not in err
