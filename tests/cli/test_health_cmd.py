"""``bluebook-bot health`` never vouches for a bot it cannot see, and never crashes."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest

from bot.cli import main
from bot.exts.health import judge_beat

NOW = 1_800_000_000.0


def test_a_fresh_beat_is_healthy() -> None:
    assert judge_beat(json.dumps({"time": NOW - 10, "latency": 0.05}), NOW) == (
        True, "heartbeat 10 s ago, gateway latency 0.050 s")


def test_a_beat_from_the_future_is_unhealthy() -> None:
    ok, message = judge_beat(json.dumps({"time": NOW + 3599, "latency": 0.05}), NOW)
    assert not ok and "3599 s in the future" in message


@pytest.mark.parametrize(("text", "why"), [
    ("[]", "expected a JSON object"), ("null", "expected a JSON object"),
    ("{}", "no valid time"), ('{"time": "soon"}', "no valid time"),
    ('{"time": NaN}', "no valid time"), ('{"time": true}', "no valid time"),
    ("{not json", "not JSON"), ("", "not JSON")])
def test_a_file_that_holds_no_heartbeat_is_a_clear_unhealthy_message(text: str, why: str) -> None:
    ok, message = judge_beat(text, NOW)
    assert not ok and why in message


@pytest.mark.parametrize(("content", "needle"), [
    ("[]", "expected a JSON object"), (json.dumps({"time": 9e18}), "in the future")])
def test_the_command_says_unhealthy_without_a_traceback(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], content: str, needle: str) -> None:
    config = tmp_path / "config.yaml"
    config.write_text("paths:\n  state: data/state.sqlite3\n")
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "health.json").write_text(content)
    assert main(["health", "--config", str(config)]) == 1
    err = capsys.readouterr().err
    assert err.startswith("unhealthy: ") and needle in err and "Traceback" not in err
    assert err.count("\n") == 1
    (tmp_path / "data" / "health.json").write_text(json.dumps({"time": time.time()}))
    assert main(["health", "--config", str(config)]) == 0
