"""Hostile bytes on stdin and argv: every line answered, output always valid UTF-8
JSON, input and output lines in step."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from bot.cli import main

GOOD = b"the us is japans only ally"


def run_cli(args: list[str], stdin: bytes, tmp_path: Path,
            locale: str = "C.UTF-8") -> subprocess.CompletedProcess[bytes]:
    env = {**os.environ, "LC_ALL": locale, "LANG": locale, "PYTHONUTF8": "0",
           "BLUEBOOK_CACHE_DIR": str(tmp_path / "cache")}
    env.pop("PYTHONIOENCODING", None)
    return subprocess.run([sys.executable, "-m", "bot", *args], input=stdin,
                          capture_output=True, env=env, check=False, timeout=120)


def rows(out: bytes) -> list[dict[str, object]]:
    text = out.decode("utf-8")  # strict: raises if any byte is not UTF-8
    return [json.loads(line) for line in text.split("\n")[:-1]]


@pytest.mark.parametrize("locale", ["C.UTF-8", "C"])
def test_a_bad_byte_spoils_one_character_and_every_line_is_answered(
        tmp_path: Path, locale: str) -> None:
    stdin = GOOD + b"\n" + b"the us is japans \xff\xfe only ally\r\n" + b"\n" + GOOD + b"\r\n"
    done = run_cli(["quote", "--json", "-"], stdin, tmp_path, locale)
    assert done.returncode == 0, done.stderr
    out = rows(done.stdout)
    assert [r["found"] for r in out] == [True, True, False, True]
    assert out[1]["query"] == "the us is japans \ufffd\ufffd only ally"
    assert out[2]["query"] == "" and out[2]["error"]
    assert out[3]["query"] == GOOD.decode()  # the \r is gone


def test_line_separators_are_escaped_and_never_split_a_line(tmp_path: Path) -> None:
    stdin = "the us is\u2028japans only ally\u2029\n".encode()
    done = run_cli(["quote", "--json", "-"], stdin, tmp_path)
    assert b"\xe2\x80\xa8" not in done.stdout and b"\\u2028" in done.stdout
    assert len(done.stdout.decode().splitlines()) == 1  # str.splitlines splits at U+2028
    assert rows(done.stdout)[0]["query"] == "the us is\u2028japans only ally\u2029"


def test_bad_bytes_in_argv_give_valid_json(tmp_path: Path) -> None:
    env_arg = os.fsdecode(b"the us is japans \xff only ally\r")
    done = run_cli(["quote", "--json", env_arg], b"", tmp_path)
    (out,) = rows(done.stdout)
    assert out["query"] == "the us is japans \ufffd only ally"


def test_the_piped_shell_reads_bytes_too(tmp_path: Path) -> None:
    stdin = b"/quote the us is japans \xff only ally\r\n/about\n"
    done = run_cli(["shell"], stdin, tmp_path, "C")
    assert done.returncode == 0, done.stderr
    text = done.stdout.decode("utf-8")
    assert "only ally" in text and "Ministry of Foreign Affairs" in text


def test_one_output_line_per_input_line_blank_lines_included(
        monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    lines = ["", "the us is japans only ally", "  ", "ok", "", "bananas grow on the moon"]
    monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BytesIO("\n".join(lines).encode())))
    main(["quote", "--json", "-"])
    out = [json.loads(x) for x in capsys.readouterr().out.splitlines()]
    assert [r["query"] for r in out] == lines
    assert all(r["found"] is False and r["error"] for i, r in enumerate(out) if i in (0, 2, 4))


def test_a_huge_line_is_cut_and_the_next_line_still_answered(
        monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    from bot.cli.common import MAX_LINE

    huge = b"word " * (MAX_LINE // 2)  # far more than one buffer, no newline until the end
    monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BytesIO(huge + b"\n" + GOOD + b"\n")))
    assert main(["quote", "--json", "-"]) == 0
    out = [json.loads(x) for x in capsys.readouterr().out.splitlines()]
    assert [r["found"] for r in out] == [False, True]
    assert len(out[0]["query"]) <= MAX_LINE and out[0]["error"]
