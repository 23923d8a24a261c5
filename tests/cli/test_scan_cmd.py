"""``bluebook-bot scan`` and the shell's ``/scan``."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from bot.app.services import Services
from bot.cli import main
from bot.core.quotes.matching import QuoteEngine
from bot.shell import Shell

RIGHT = "The United States (U.S.) is Japan's only ally."
DRAFT = ("Notes from the meeting\n\n"
         f"The minister recalled that [[{RIGHT}]]\n"
         "Someone wrote “the strong Japan US alliance is the lynchpin of Japans security "
         "policy” in the draft.\n"
         "> Mexico is an important partner for Japanese companies in the region\n")


def test_scan_lists_each_quotation_with_its_place_and_exits_1_on_a_wrong_one(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    draft = tmp_path / "draft.txt"
    draft.write_text(DRAFT, encoding="utf-8")
    assert main(["scan", str(draft)]) == 1
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 3
    assert lines[0].startswith("3:28\texact\tDiplomatic Bluebook 2025")
    assert lines[1].startswith("4:15\t") and "“lynchpin” → “linchpin”" in lines[1]
    assert lines[2].startswith("5:1\tnot found")


def test_scan_json_has_the_quote_keys_plus_line_and_column(
        monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BytesIO(DRAFT.encode())))
    assert main(["scan", "--json", "-"]) == 1
    objects = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    keys = {"query", "found", "verdict", "score", "match", "alternatives", "suggestions", "diff"}
    assert all(keys | {"line", "column"} <= set(o) for o in objects)
    assert [(o["line"], o["column"], o["found"]) for o in objects] == [
        (3, 28, True), (4, 15, True), (5, 1, False)]
    assert objects[0]["match"]["passage_id"] == "dbb2025-na.overview.p2"


def test_scan_exits_0_when_every_quotation_is_right(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    draft = tmp_path / "ok.txt"
    draft.write_text(f"As it says, [[{RIGHT}]]\n", encoding="utf-8")
    assert main(["scan", str(draft)]) == 0


def test_scan_bad_input_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["scan", str(tmp_path / "missing.txt")]) == 2
    binary = tmp_path / "bad.txt"
    binary.write_bytes(b"fine\n\xff\xfe broken")
    assert main(["scan", str(binary)]) == 2
    assert "line 2: not UTF-8" in capsys.readouterr().err


def test_shell_scan(engine: QuoteEngine) -> None:
    out, err = io.StringIO(), io.StringIO()
    shell = Shell(Services(engine), out=out, err=err)
    assert shell.execute(f"/scan The minister said [[{RIGHT}]]") == 0
    assert "1 of 1 quotation right" in out.getvalue()
    assert shell.execute("/scan she wrote “Mexico is an important partner for Japanese "
                         "companies in the region”") == 1
    assert "not found" in err.getvalue()


def test_scan_leads_a_misquote_with_what_the_source_says(
        capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    draft = tmp_path / "draft.txt"
    draft.write_text("As the minutes say, [[Japan and Canada held five summit meetings "
                     "in 2023]].\n", encoding="utf-8")
    assert main(["scan", str(draft)]) == 1
    out = capsys.readouterr().out
    assert out.startswith("1:21\tMisquoted: the source says three, not five")
    assert main(["scan", str(draft), "--json"]) == 1
    (row,) = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert row["misquote"] is True and {"query": "five", "source": "three",
                                        "kind": "number"} in row["changed"]
