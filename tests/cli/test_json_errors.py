"""Every ``--json`` command answers in JSON, its errors included; and ``facts --limit``."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bot.cli import main


def one_json(capsys: pytest.CaptureFixture[str]) -> dict[str, object]:
    out = capsys.readouterr().out
    (line,) = out.splitlines()
    value = json.loads(line)
    assert isinstance(value, dict)
    return value


def test_passage_not_found_prints_json(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["passage", "dbb2025-na.overveiw.p4", "--json"]) == 1
    out = one_json(capsys)
    assert out["id"] == "dbb2025-na.overveiw.p4" and "no passage" in str(out["error"])
    near = out["did_you_mean"]
    assert isinstance(near, list) and near[0] == "dbb2025-na.overview.p4"


@pytest.mark.parametrize("argv", [
    ["corpus", "--json", "--corpus", "{missing}"],
    ["passage", "x", "--json", "--corpus", "{missing}"],
    ["quote", "--json", "--corpus", "{missing}", "some words here"],
    ["eval", "{missing}/set.yaml", "--json"],
    ["topics", "--json", "--facts", "{missing}"],
    ["facts", "--json", "--facts", "{missing}"],
    ["fact", "--json", "--facts", "{missing}"],
])
def test_bad_content_is_json_with_every_problem(
        argv: list[str], tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    argv = [a.replace("{missing}", str(tmp_path / "missing")) for a in argv]
    assert main(argv) == 2
    out = one_json(capsys)
    assert "problem" in str(out["error"])
    problems = out["problems"]
    assert isinstance(problems, list) and problems
    assert set(problems[0]) == {"file", "line", "where", "message"}


@pytest.mark.parametrize("argv", [["quote", "--json", "--top", "99", "the us is japans ally"],
                                  ["quote", "--json", "--top", "many", "words"],
                                  ["facts", "--json", "--limit", "lots"]])
def test_bad_usage_with_json_is_json(argv: list[str],
                                     capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as info:
        code = main(argv)
        raise SystemExit(code)
    assert info.value.code == 2
    assert "error" in one_json(capsys)


def test_facts_limit_applies_to_a_list_too(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["facts", "--json", "--limit", "3"]) == 0
    assert len(one_json(capsys)["cards"]) == 3  # type: ignore[arg-type]
    assert main(["facts", "--topic", "alliance", "--limit", "2"]) == 0
    assert len(capsys.readouterr().out.strip().splitlines()) == 2 + 2  # cards, blank, count
    assert main(["facts", "--json"]) == 0
    assert len(one_json(capsys)["cards"]) > 10  # type: ignore[arg-type]
    assert main(["facts", "--json", "--search", "alliance"]) == 0
    assert len(one_json(capsys)["cards"]) == 10  # type: ignore[arg-type]
