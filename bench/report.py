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


def _engine(m: dict[str, Any], plain: list[dict[str, Any]]) -> dict[str, Any]:
    build, serve = m["build"], m["serve"]
    rows = serve["rows"]
    plain_ids = {r["id"] for r in plain}
    on_sample = percentile([r["ms"] for r in rows if r["id"] in plain_ids], 50)
    plain_median = percentile([r["ms"] for r in plain], 50)
    return {**latency(rows), **rates(rows),
            "autocomplete": latency(rows, "autocomplete_ms"),
            "build_s": build["build_s"], "build_peak_mb": build["build_peak_mb"],
            "warm_start_s": serve["warm_start_s"], "engine_rss_mb": serve["engine_rss_mb"],
            "private_mb": serve.get("private_mb"), "mapped_mb": serve.get("mapped_mb"),
            "serve_peak_mb": serve["serve_peak_mb"], **m.get("process", {}),
            "median_ms_plain_sample": on_sample,
            "speedup_vs_plain": plain_median / on_sample if on_sample else None}


# Figures compared with the old engine: lower is better for each.
RATIO_KEYS = ("median_ms", "p95_ms", "p99_ms", "autocomplete_p99_ms", "warm_start_s",
              "quote_s", "version_s", "private_mb", "serve_peak_mb", "build_s")


def _get(e: dict[str, Any], key: str) -> float | None:
    value = e["autocomplete"]["p99_ms"] if key == "autocomplete_p99_ms" else e.get(key)
    return float(value) if isinstance(value, int | float) else None


def summarise(label: str, mb: float, measured: dict[str, dict[str, Any]],
              base: dict[str, Any], redrawn: int) -> dict[str, Any]:
    engines = {name: _engine(m, base["plain"]) for name, m in measured.items()}
    out: dict[str, Any] = {
        "corpus": label, "corpus_mb": round(mb, 2),
        "passages": measured["engine"]["build"]["passages"], **engines,
        "plain_scan": {**latency(base["plain"]), **rates(base["plain"]),
                       "engine_median_ms_same_queries": engines["engine"][
                           "median_ms_plain_sample"],
                       "speedup": engines["engine"]["speedup_vs_plain"]},
        "fts5": {**latency(base["fts5"]), **rates(base["fts5"]),
                 "build_s": base["fts5_build_s"]},
        "fakes_redrawn_as_verbatim_in_corpus": redrawn,
    }
    if "old_engine" in engines:
        new, old = engines["engine"], engines["old_engine"]
        ratios = {}
        for key in RATIO_KEYS:
            a, b = _get(new, key), _get(old, key)
            ratios[key] = a / b if a is not None and b else None
        out["new_over_old"] = ratios
        new_rows = {r["id"]: r for r in measured["engine"]["serve"]["rows"]}
        old_rows = measured["old_engine"]["serve"]["rows"]
        changed = [r["id"] for r in old_rows if r.get("passage_id")
                   != new_rows[r["id"]].get("passage_id")
                   or r["accepted"] != new_rows[r["id"]]["accepted"]]
        out["answers_changed"] = {"n": len(changed), "of": len(old_rows), "ids": changed[:50]}
    return out


def table(results: list[dict[str, Any]]) -> str:
    head = (f"{'corpus':>7} {'MB':>6} {'method':>10} {'med ms':>8} {'p95 ms':>8} {'p99 ms':>8} "
            f"{'ac p99':>7} {'real ok':>8} {'fake acc':>8} {'build s':>8} {'warm s':>7} "
            f"{'quote s':>7} {'priv MB':>7} {'map MB':>7} {'peak MB':>8} {'vs plain':>8}")
    lines = [head, "-" * len(head)]
    for r in results:
        p, f = r["plain_scan"], r["fts5"]
        for name in ("engine", "old_engine"):
            e = r.get(name)
            if e is None:
                continue
            speed = f"{e['speedup_vs_plain']:.3g}x" if e.get("speedup_vs_plain") else "-"
            lines.append(
                f"{r['corpus']:>7} {r['corpus_mb']:>6.1f} {name:>10} "
                f"{e['median_ms']:>8.2f} {e['p95_ms']:>8.2f} {e['p99_ms']:>8.2f} "
                f"{e['autocomplete']['p99_ms']:>7.2f} {e['real_correct_accepted']:>8.1%} "
                f"{e['fake_accepted']:>8.1%} {e['build_s']:>8.1f} {e['warm_start_s']:>7.2f} "
                f"{_num(e.get('quote_s'), 7, 2)} {_num(e.get('private_mb'), 7, 0)} "
                f"{_num(e.get('mapped_mb'), 7, 0)} {e['serve_peak_mb']:>8.0f} {speed:>8}")
        lines.append(f"{'':>7} {'':>6} {'fts5':>10} {f['median_ms']:>8.2f} {f['p95_ms']:>8.2f} "
                     f"{f['p99_ms']:>8.2f} {'':>7} {f['real_correct_accepted']:>8.1%} "
                     f"{f['fake_accepted']:>8.1%} {f['build_s']:>8.1f}")
        lines.append(f"{'':>7} {'':>6} {'plain':>10} {p['median_ms']:>8.1f} {p['p95_ms']:>8.1f} "
                     f"{p['p99_ms']:>8.1f} {'':>7} {p['real_correct_accepted']:>8.1%} "
                     f"{p['fake_accepted']:>8.1%}   (n={p['n']})")
        if "new_over_old" in r:
            ratios = ", ".join(f"{k} {v:.3g}x" for k, v in r["new_over_old"].items()
                               if v is not None)
            ch = r["answers_changed"]
            lines.append(f"{'':>7} new/old: {ratios}")
            lines.append(f"{'':>7} answers changed (match passage or accepted): "
                         f"{ch['n']} of {ch['of']}")
    return "\n".join(lines)


def _num(value: Any, width: int, places: int) -> str:
    return f"{value:>{width}.{places}f}" if isinstance(value, int | float) else f"{'-':>{width}}"


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
