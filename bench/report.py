"""Summarise the measurements: a table on stdout, JSON, and a latency plot."""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any


def percentile(values: list[float], pct: float) -> float:
    """Linear-interpolated percentile (0-100) of *values*; NaN when empty."""
    if not values:
        return math.nan
    ordered = sorted(values)
    pos = (len(ordered) - 1) * pct / 100
    lo, hi = math.floor(pos), math.ceil(pos)
    return ordered[lo] + (ordered[hi] - ordered[lo]) * (pos - lo)


def latency(rows: list[dict[str, Any]], key: str = "ms") -> dict[str, float]:
    ms = [r[key] for r in rows]
    return {"n": len(ms), "median_ms": percentile(ms, 50), "p95_ms": percentile(ms, 95),
            "p99_ms": percentile(ms, 99)}


def rates(rows: list[dict[str, Any]]) -> dict[str, float]:
    real = [r for r in rows if r["kind"] == "real"]
    fake = [r for r in rows if r["kind"] == "fake"]

    def share(items: list[dict[str, Any]], key: str) -> float:
        return sum(bool(r[key]) for r in items) / len(items) if items else math.nan

    return {"real_n": len(real), "fake_n": len(fake),
            "real_correct_accepted": share(real, "correct"),
            "real_accepted": share(real, "accepted"),
            "fake_accepted": share(fake, "accepted")}


def summarise(label: str, mb: float, build: dict[str, Any], serve: dict[str, Any],
              base: dict[str, Any], redrawn: int) -> dict[str, Any]:
    rows = serve["rows"]
    plain_ids = {r["id"] for r in base["plain"]}
    same = [r for r in rows if r["id"] in plain_ids]
    engine_on_sample = percentile([r["ms"] for r in same], 50)
    plain_median = percentile([r["ms"] for r in base["plain"]], 50)
    return {
        "corpus": label, "corpus_mb": round(mb, 2), "passages": build["passages"],
        "engine": {**latency(rows), **rates(rows),
                   "autocomplete": latency(rows, "autocomplete_ms"),
                   "build_s": build["build_s"], "build_peak_mb": build["build_peak_mb"],
                   "warm_start_s": serve["warm_start_s"], "engine_rss_mb": serve["engine_rss_mb"],
                   "serve_peak_mb": serve["serve_peak_mb"]},
        "plain_scan": {**latency(base["plain"]), **rates(base["plain"]),
                       "engine_median_ms_same_queries": engine_on_sample,
                       "speedup": plain_median / engine_on_sample if engine_on_sample else None},
        "fts5": {**latency(base["fts5"]), **rates(base["fts5"]),
                 "build_s": base["fts5_build_s"]},
        "fakes_redrawn_as_verbatim_in_corpus": redrawn,
    }


def table(results: list[dict[str, Any]]) -> str:
    head = (f"{'corpus':>7} {'MB':>6} {'method':>6} {'med ms':>8} {'p95 ms':>8} {'p99 ms':>8} "
            f"{'real ok':>8} {'fake acc':>8} {'build s':>8} {'warm s':>7} {'peak MB':>8} "
            f"{'speedup':>8}")
    lines = [head, "-" * len(head)]
    for r in results:
        e, p, f = r["engine"], r["plain_scan"], r["fts5"]
        speed = f"{p['speedup']:.3g}x" if p.get("speedup") else "-"
        lines.append(f"{r['corpus']:>7} {r['corpus_mb']:>6.1f} {'engine':>6} "
                     f"{e['median_ms']:>8.2f} {e['p95_ms']:>8.2f} {e['p99_ms']:>8.2f} "
                     f"{e['real_correct_accepted']:>8.1%} "
                     f"{e['fake_accepted']:>8.1%} {e['build_s']:>8.1f} {e['warm_start_s']:>7.2f} "
                     f"{e['serve_peak_mb']:>8.0f} {speed:>8}")
        lines.append(f"{'':>7} {'':>6} {'fts5':>6} {f['median_ms']:>8.2f} {f['p95_ms']:>8.2f} "
                     f"{f['p99_ms']:>8.2f} {f['real_correct_accepted']:>8.1%} "
                     f"{f['fake_accepted']:>8.1%} {f['build_s']:>8.1f}")
        lines.append(f"{'':>7} {'':>6} {'plain':>6} {p['median_ms']:>8.1f} {p['p95_ms']:>8.1f} "
                     f"{p['p99_ms']:>8.1f} {p['real_correct_accepted']:>8.1%} "
                     f"{p['fake_accepted']:>8.1%}   (n={p['n']})")
    return "\n".join(lines)


def write(results: list[dict[str, Any]], meta: dict[str, Any], out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    (out / "results.json").write_text(json.dumps({"meta": meta, "results": results}, indent=2),
                                      encoding="utf-8")
    plot(results, out / "latency.png")


def plot(results: list[dict[str, Any]], path: Path) -> None:
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        print("matplotlib is not installed (pip install -e '.[bench]'); no plot")
        return
    mbs = [r["corpus_mb"] for r in results]
    fig, ax = plt.subplots(figsize=(7, 4.5))
    for key, name, colour in (("engine", "engine", "C0"), ("fts5", "FTS5 + rerank", "C1"),
                              ("plain_scan", "plain partial_ratio scan", "C2")):
        ax.plot(mbs, [r[key]["median_ms"] for r in results], "o-", color=colour,
                label=f"{name} median")
        ax.plot(mbs, [r[key]["p99_ms"] for r in results], "x--", color=colour,
                label=f"{name} p99")
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlabel("corpus size (MB)")
    ax.set_ylabel("latency per query (ms)")
    ax.set_title("Quote lookup latency against corpus size (one core)")
    ax.grid(True, which="both", alpha=0.3)
    ax.legend(fontsize=8)
    fig.tight_layout()
    fig.savefig(path, dpi=120)
    plt.close(fig)
