import io
import random
import shutil
from pathlib import Path

import pytest

from bot.app.services import Services
from bot.cli import main
from bot.core.errors import UserError
from bot.core.quotes.matching import QuoteEngine
from bot.shell import Shell, completions, history_path, parse_line
from bot.storage.shipped import shipped_dir
from tests.app.conftest import make_deck


@pytest.fixture(autouse=True)
def _isolated(monkeypatch: pytest.MonkeyPatch, tmp_path: object) -> None:
    monkeypatch.setenv("BLUEBOOK_CACHE_DIR", str(tmp_path))
    monkeypatch.delenv("BLUEBOOK_CONFIG", raising=False)


def test_dash_c_quote_prints_the_citation(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["shell", "-c", "/quote with the us as japan only ally"]) == 0
    out = capsys.readouterr().out
    assert "Diplomatic Bluebook 2025, Ch. 2 §3 North America — Overview, ¶6" in out
    assert "**With the U.S. as Japan's only ally**" in out  # not a TTY: plain markers
    assert "\x1b[" not in out


def test_exit_codes(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["shell", "-c", "passage dbb2025-na.overview.p9"]) == 1
    assert "Did you mean" in capsys.readouterr().err
    assert main(["shell", "-c", "/quote " + "x" * 1200]) == 2
    assert main(["shell", "-c", "/nonsense"]) == 2
    assert main(["shell", "-c", "/quote bananas grow quickly on the moon"]) == 1


def test_the_shell_refuses_to_start_on_missing_or_broken_fact_cards(
        capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    assert main(["shell", "--facts", str(tmp_path / "missing"), "-c", "/about"]) == 2
    assert "no facts folder" in capsys.readouterr().err
    broken = tmp_path / "facts"
    shutil.copytree(shipped_dir("facts"), broken)
    card_file = broken / "2025-overview.yaml"
    card_file.write_text(card_file.read_text().replace("topics: [", "topics: [nosuchtopic, ", 1))
    assert main(["shell", "--facts", str(broken), "-c", "/about"]) == 2
    err = capsys.readouterr().err
    assert "2025-overview.yaml:" in err and "nosuchtopic" in err and "bluebook-bot check" in err


def test_piped_stdin_runs_each_line_quietly(monkeypatch: pytest.MonkeyPatch,
                                            capsys: pytest.CaptureFixture[str]) -> None:
    lines = ("# a comment\n/quote the us is japans only ally\n\n"
             "verify the U.S. is Japan's only ally\n")
    monkeypatch.setattr("sys.stdin", io.StringIO(lines))
    assert main(["shell"]) == 0
    out = capsys.readouterr().out
    assert "bluebook>" not in out and "Type /help" not in out
    assert out.count("── ") == 2


def test_piped_status_is_the_worst(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO("/about\n/passage nope\n/quit\n/nonsense\n"))
    assert main(["shell"]) == 1  # stops at /quit


def test_parse_line() -> None:
    assert parse_line("/fact topic:alliance") == ("fact", {"topic": "alliance"})
    assert parse_line("fact only-ally") == ("fact", {"id": "only-ally"})
    assert parse_line("/quote the us is japan's only ally") == (
        "quote", {"text": "the us is japan's only ally"})
    assert parse_line('/quote "the us is japans only ally"') == (
        "quote", {"text": "the us is japans only ally"})
    assert parse_line("/search only ally document:dbb2025-na page:2") == (
        "search", {"query": "only ally", "document": "dbb2025-na", "page": "2"})
    assert parse_line("/Passage id:dbb2025-na.overview.p6") == (
        "passage", {"id": "dbb2025-na.overview.p6"})
    with pytest.raises(UserError, match="Usage: /passage id"):
        parse_line("/passage a b")


@pytest.fixture
def shell(engine: QuoteEngine) -> tuple[Shell, io.StringIO, io.StringIO]:
    out, err = io.StringIO(), io.StringIO()
    return Shell(Services(engine, make_deck(), random.Random(1)), out=out, err=err), out, err


def test_numbers_run_the_last_replys_actions(
        shell: tuple[Shell, io.StringIO, io.StringIO]) -> None:
    sh, out, err = shell
    assert sh.execute("/fact only-ally") == 0
    assert sh.execute("2") == 0  # "Source": the passage with the quote in bold
    assert "Overview, ¶2" in out.getvalue().split("── ")[-1]
    assert sh.execute("99") == 2 and "choices 1 to" in err.getvalue()


def test_next_match_and_full_passage_as_numbered_steps(
        shell: tuple[Shell, io.StringIO, io.StringIO]) -> None:
    sh, out, _ = shell
    assert sh.execute("/quote with the us as japan only ally") == 0
    assert "[2] Next match ▶" in out.getvalue()
    assert sh.execute("2") == 0
    page = out.getvalue().split("── ")[-1]
    assert "Match 2 of 4" in page and "[2] ◀ Previous" in page
    assert sh.execute("1") == 0  # Full passage, the match in bold
    assert "Overview, ¶2" in out.getvalue().split("── ")[-1]
    typed = "/highlight id:dbb2025-na.overview.p6 start:114 end:143"
    assert sh.execute(typed) == 0
    assert "**the U.S. as Japan's only ally**" in out.getvalue().split("── ")[-1]


def test_completion(shell: tuple[Shell, io.StringIO, io.StringIO]) -> None:
    sh, _, _ = shell
    done = lambda buffer, text: completions(sh.registry, sh.services, buffer, text)  # noqa: E731
    assert done("/ve", "/ve") == ["/verify"]
    assert done("/m", "/m") == [] and done("/h", "/h") == ["/help"]  # internal: not offered
    assert "quit" in done("q", "q")
    assert done("/fact topic:al", "topic:al") == ["topic:alliance"]
    assert done("/fact only", "only") == ["only-ally"]
    assert done("/passage dbb2025-na.overview.p", "dbb2025-na.overview.p")[:2] == [
        "dbb2025-na.overview.p1", "dbb2025-na.overview.p2"]
    assert done("/search japan doc", "doc") == ["document:"]


def test_history_path_honours_xdg(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("BLUEBOOK_HISTORY", raising=False)
    monkeypatch.setenv("XDG_STATE_HOME", "/tmp/state")
    assert str(history_path()) == "/tmp/state/bluebook-bot/shell_history"


def test_a_number_after_an_error_does_not_run_an_older_reply_s_step(
        capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO("/topics\n/passage nope\n1\n"))
    main(["shell"])
    captured = capsys.readouterr()
    assert "── Japan-U.S. Alliance" not in captured.out  # /topics' step 1 did not run
    assert "There is no command /1." in captured.err
