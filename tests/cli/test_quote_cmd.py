"""The CLI's public contract: JSON fields, JSON Lines, exit codes, error messages."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from bot.cli import main

KEYS = {"query", "found", "verdict", "score", "match", "alternatives", "suggestions", "diff",
        "misquote", "changed"}
MATCH_KEYS = {"passage_id", "document_id", "citation", "text", "start", "end", "quote"}


def test_quote_json_has_the_documented_shape(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["quote", "--json", "--top", "2", "the japan us aliance is the linchpin"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert set(out) == KEYS and out["found"] is True
    assert set(out["match"]) == MATCH_KEYS
    assert out["match"]["text"][out["match"]["start"]:out["match"]["end"]] == out["match"]["quote"]
    assert len(out["alternatives"]) <= 2
    assert all(set(a) == MATCH_KEYS | {"score"} for a in out["alternatives"])
    assert {"op": "changed", "query": "aliance", "source": "alliance"} in out["diff"]


def test_no_match_exits_1_and_says_so(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["quote", "Mexico is an important partner for Japanese companies"]) == 1
    out = capsys.readouterr().out
    assert out.startswith("No match")


def test_human_output_shows_words_citation_and_differences(
        capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["quote", "The strong Japan US alliance is the lynchpin of Japans policy"]) == 0
    out = capsys.readouterr().out
    assert "Overview, ¶2" in out and "“lynchpin”" in out and "“linchpin”" in out


def test_stdin_batch_writes_one_json_object_per_line(
        monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    lines = ("the us is japans only ally\n\nok\n"
             "Japan and Canada held summit talks on whaling quotas\n")
    monkeypatch.setattr("sys.stdin", io.StringIO(lines))
    assert main(["quote", "--json", "-"]) == 0
    rows = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [r["found"] for r in rows] == [True, False, False, False]
    assert all(set(r) >= KEYS for r in rows)  # every line has the contract's keys
    assert "error" in rows[1] and "error" in rows[2] and "error" not in rows[3]


def test_a_batch_of_only_unusable_lines_exits_2(
        monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO("ok\n   \n!!\n"))
    assert main(["quote", "--json", "-"]) == 2


def test_top_k_gives_up_to_k_alternatives(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["quote", "--json", "--top", "10", "the japan us alliance is the linchpin"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert 5 < len(out["alternatives"]) <= 10


def test_bad_usage_and_bad_corpus_exit_2_naming_the_file(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["quote", "   "]) == 2
    assert "few words" in capsys.readouterr().err
    (tmp_path / "corpus.yaml").write_text("documents:\n  - id: x\n    file: gone.txt\n"
                                          "    title: X\n")
    assert main(["quote", "--corpus", str(tmp_path), "some words here"]) == 2
    assert "corpus.yaml:3" in capsys.readouterr().err
    with pytest.raises(SystemExit) as info:
        main(["quote", "--top", "many", "words words words"])
    assert info.value.code == 2


def test_passage_and_corpus_commands(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["passage", "dbb2025-na.overview.p4", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["next"] == "dbb2025-na.overview.p5" and out["cites"] == ["dbb2025-na.overview.n1"]
    assert main(["passage", "dbb2025-na.overveiw.p4"]) == 1
    assert "did you mean: dbb2025-na.overview.p4" in capsys.readouterr().err
    assert main(["corpus"]) == 0
    out = capsys.readouterr().out
    assert "21 passages in 2 documents" in out and "removed page chrome" in out


def test_eval_command_prints_accuracy(capsys: pytest.CaptureFixture[str],
                                      tmp_path: Path) -> None:
    assert main(["eval"]) == 0  # the shipped set holds its floor
    out = capsys.readouterr().out
    assert "top-1 accuracy" in out and "misquotes flagged" in out and "  fragment" in out
    easy = tmp_path / "easy.yaml"
    easy.write_text('quotes:\n  - {kind: number, passage: dbb2025-na.overview.p7, '
                    'query: "Japan and Canada held 3 summit meetings"}\n'
                    '  - {kind: misquote, passage: dbb2025-na.overview.p7, '
                    'query: "Japan and Canada held five summit meetings in 2023", '
                    'changed: [{query: five, source: three, kind: number}]}\n'
                    'outside: ["Japan and Canada held summit talks on whaling quotas"]\n')
    assert main(["eval", str(easy)]) == 0  # the floor holds on this one
    assert main(["eval", "--json", str(easy)]) == 0
    data = json.loads(capsys.readouterr().out.splitlines()[-1])
    assert data["meets_floor"] and data["misquotes_flagged"] == 1 and data["kinds"]["number"]
