"""The loop-lag measurement runs end to end against the fake Discord (no timing asserted)."""

from __future__ import annotations

from pathlib import Path

from bench.loop_lag import main


def test_loop_lag_reports_lag_heartbeats_and_acks(tmp_path: Path) -> None:
    out = tmp_path / "lag.json"
    result = main(["--requests", "12", "--concurrency", "4", "--json", str(out)])
    assert out.exists()
    assert result["ack_ms"]["n"] == 12 and result["answer_ms"]["n"] == 6
    assert result["loop_lag_idle_ms"]["n"] > 0 and result["loop_lag_load_ms"]["n"] >= 0
    assert result["search_on"] == "worker threads"
