"""The benchmark's smoke mode runs end to end and reports every field, with sane values.

No timing is asserted: the machine is shared and noisy. The figures that matter
come from ``python -m bench run`` (see bench/README.md).
"""

from __future__ import annotations

import json
import math
from pathlib import Path

import pytest

from bench.__main__ import main
from bench.measure import right_span
from bench.queries import MAX_WORDS, MIN_WORDS, noisy
from bench.report import percentile


def test_smoke_run_reports_all_fields(tmp_path: Path) -> None:
    main(["smoke", "--out", str(tmp_path)])
    report = json.loads((tmp_path / "results" / "results.json").read_text())
    assert report["meta"]["machine"]["python"]
    (result,) = report["results"]
    engine = result["engine"]
    for key in ("median_ms", "p95_ms", "p99_ms", "build_s", "warm_start_s", "serve_peak_mb",
                "real_correct_accepted", "fake_accepted"):
        assert engine[key] >= 0 and math.isfinite(engine[key]), key
    assert engine["median_ms"] <= engine["p95_ms"] <= engine["p99_ms"]
    assert engine["real_n"] == engine["fake_n"] == 6
    # Quotes of the shipped corpus are found; the two held-back paragraphs are not.
    assert engine["real_correct_accepted"] >= 0.5
    assert engine["fake_accepted"] <= 0.5
    for baseline in ("plain_scan", "fts5"):
        assert result[baseline]["n"] > 0
        assert 0 <= result[baseline]["real_correct_accepted"] <= 1
    assert result["plain_scan"]["speedup"] > 0


def test_noise_keeps_length_and_loses_case() -> None:
    import random

    words = ["The", "Japan-U.S.", "Alliance", "is", "the", "Linchpin", "of", "Japan's",
             "diplomacy,", "and", "more"]
    out = noisy(words, random.Random(1))
    assert len(out) == len(words) - 1  # a tenth dropped
    assert all(w == w.lower() and w.isalnum() for w in out)
    assert MIN_WORDS < MAX_WORDS


@pytest.mark.parametrize(("span", "ok"), [((0, 20), True), ((5, 25), True), ((30, 40), False)])
def test_right_span_needs_overlap(span: tuple[int, int], ok: bool) -> None:
    text = "one two three four five six seven eight nine"
    q = {"passage": text, "start": 0, "end": 18, "clean": "one two three four"}
    assert right_span(q, text, *span) is ok


def test_percentile() -> None:
    assert percentile([1, 2, 3, 4, 5], 50) == 3
    assert percentile([1.0, 2.0], 100) == 2.0


def test_smoke_run_compares_with_an_old_engine_from_git(tmp_path: Path) -> None:
    import shutil
    import subprocess

    root = Path(__file__).resolve().parents[2]
    if shutil.which("git") is None or subprocess.run(
            ["git", "rev-parse", "HEAD"], cwd=root, capture_output=True).returncode != 0:
        pytest.skip("not a git checkout")
    main(["smoke", "--out", str(tmp_path), "--old-ref", "HEAD"])
    (result,) = json.loads((tmp_path / "results" / "results.json").read_text())["results"]
    assert result["old_engine"]["real_n"] == 6
    assert result["new_over_old"]["median_ms"] > 0
    assert result["answers_changed"]["of"] == 12
    for key in ("quote_s", "version_s", "private_mb", "mapped_mb"):
        assert result["engine"][key] is not None, key
