"""The shell in a real terminal: wrapping, step numbers, Tab, what /about prints."""

from __future__ import annotations

import io
import random

import pytest

from bot.app.services import Services
from bot.cli import main
from bot.core.quotes.matching import QuoteEngine
from bot.core.rendering.wrap import visible_width, wrap_text
from bot.shell import Shell, readline_matches
from tests.app.conftest import make_deck

QUOTE = "/quote the us is japans only ally"


def make_shell(engine: QuoteEngine, width: int | str | None = None
               ) -> tuple[Shell, io.StringIO, io.StringIO]:
    out, err = io.StringIO(), io.StringIO()
    services = Services(engine, make_deck(), random.Random(1))
    return Shell(services, out=out, err=err, width=width), out, err  # type: ignore[arg-type]


@pytest.mark.parametrize("line", ["²", "٣", "1²", "0" * 10 + "1" + "0" * 5000, "9" * 5000])
def test_odd_step_numbers_are_a_clear_error_not_an_internal_one(
        engine: QuoteEngine, line: str) -> None:
    sh, _, err = make_shell(engine)
    assert sh.execute(QUOTE) == 0
    status = sh.execute(line)
    assert "internal error" not in err.getvalue()
    assert status == 2  # unknown command, or a number out of range
    sh.execute(QUOTE)
    assert sh.execute("0001") == 0  # leading zeros still name step 1


def test_replies_wrap_to_the_width_without_breaking_words(engine: QuoteEngine) -> None:
    wide, wide_out, _ = make_shell(engine)
    narrow, narrow_out, _ = make_shell(engine, 80)
    for sh in (wide, narrow):
        sh.execute(QUOTE)
        sh.execute("/about")
    text = narrow_out.getvalue()
    assert max(visible_width(line) for line in text.splitlines()) <= 80
    assert text.split() == wide_out.getvalue().split()  # the same words, none split
    assert "/highlight" in text and "id:dbb2025-na.overview.p2" in text.split()
    assert any(visible_width(line) > 80 for line in wide_out.getvalue().splitlines())


def test_the_terminal_width_is_read_at_each_reply(
        engine: QuoteEngine, monkeypatch: pytest.MonkeyPatch) -> None:
    sh, out, _ = make_shell(engine, "terminal")
    monkeypatch.setenv("COLUMNS", "60")
    sh.execute(QUOTE)
    assert max(len(line) for line in out.getvalue().splitlines()) <= 60
    monkeypatch.setenv("COLUMNS", "100")
    sh.execute(QUOTE)
    assert max(len(line) for line in out.getvalue().splitlines()) > 60


def test_piped_output_wraps_only_when_asked(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["shell", "-c", QUOTE]) == 0
    assert max(len(line) for line in capsys.readouterr().out.splitlines()) > 80
    assert main(["shell", "--width", "80", "-c", QUOTE]) == 0
    assert max(len(line) for line in capsys.readouterr().out.splitlines()) <= 80


def test_wrapping_ignores_styles_counts_wide_characters_and_keeps_long_words() -> None:
    styled = "\x1b[1m" + "word " * 30 + "\x1b[22m"
    assert all(visible_width(line) <= 40 for line in wrap_text(styled, 40).splitlines())
    assert visible_width("日本") == 4
    long_id = "x" * 100
    assert wrap_text(f"see {long_id} now", 40).splitlines() == ["see", long_id, "now"]
    step = "  [1] Full passage  /highlight id:dbb2025-na.overview.p6 start:114 end:143"
    # The command moves whole to its own line when it fits there, so it copies as one ...
    assert wrap_text(step, 60).splitlines() == [
        "  [1] Full passage", "      /highlight id:dbb2025-na.overview.p6 start:114 end:143"]
    # ... and breaks only between words when it does not.
    assert wrap_text(step, 40).splitlines() == [
        "  [1] Full passage  /highlight", "      id:dbb2025-na.overview.p6",
        "      start:114 end:143"]


def test_tab_completion_of_a_word_adds_a_space(engine: QuoteEngine) -> None:
    sh, _, _ = make_shell(engine)
    assert readline_matches(sh, "/ve", "/ve") == ["/verify "]
    assert readline_matches(sh, "/fact only", "only") == ["only-ally "]
    assert readline_matches(sh, "/search japan doc", "doc") == ["document:"]  # value follows
    assert readline_matches(sh, "/fact topic:al", "topic:al") == ["topic:alliance "]


def test_about_prints_the_ministrys_address_once(engine: QuoteEngine) -> None:
    sh, out, _ = make_shell(engine)
    sh.execute("/about")
    assert out.getvalue().count("https://www.mofa.go.jp/policy/other/bluebook/index.html") == 1
