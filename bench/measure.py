"""The measurements, each run in a fresh process so its peak memory is its own.

``build``: parse and index the corpus into an empty cache (cold start).
``serve``: load the engine from that cache (warm start) and answer the queries.
``baselines``: a plain rapidfuzz scan and SQLite FTS5 + rapidfuzz, same queries.
Each prints nothing and writes one JSON object to ``--out``.
"""

from __future__ import annotations

import json
import re
import resource
import sqlite3
import time
from pathlib import Path
from typing import Any

from rapidfuzz import fuzz, process

from bench.corpora import norm
from bench.queries import MIN_PARAGRAPH_WORDS

_SPACE = re.compile(r"\s+")
# A baseline "accepts" its best passage at this partial_ratio: a plain global cut-off,
# which is exactly what the engine's length-aware verdict is meant to improve on.
BASELINE_ACCEPT = 85.0


def peak_mb() -> float:
    """Peak resident memory of this process, in MB.

    VmHWM, not getrusage's ru_maxrss: Linux carries ru_maxrss over from the parent
    across fork and exec, so a worker would report the orchestrator's peak."""
    with open("/proc/self/status") as fh:
        for line in fh:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def rss_mb() -> float:
    with open("/proc/self/statm") as fh:
        return int(fh.read().split()[1]) * resource.getpagesize() / 1e6


def rss_parts_mb() -> dict[str, float]:
    """Resident memory split: anonymous (private heap) and file-backed (mapped cache
    files and code, shared page cache), in MB."""
    out = {"anon": 0.0, "file": 0.0}
    with open("/proc/self/status") as fh:
        for line in fh:
            if line.startswith(("RssAnon:", "RssFile:", "RssShmem:")):
                key = "anon" if line.startswith("RssAnon") else "file"
                out[key] += int(line.split()[1]) / 1024
    return out


def _iou(a: tuple[int, int], b: tuple[int, int]) -> float:
    inter = max(0, min(a[1], b[1]) - max(a[0], b[0]))
    union = max(a[1], b[1]) - min(a[0], b[0])
    return inter / union if union else 0.0


def same_passage(q: dict[str, Any], text: str) -> bool:
    return text == q["passage"] or norm(text) == norm(q["passage"])


_WORD = re.compile(r"[0-9a-z]+")


def quoted_span(text: str, clean: str) -> tuple[int, int] | None:
    """Where the quoted words *clean* (normalised) sit in *text*, if they do."""
    tokens = [(m.group(), m.start(), m.end()) for m in _WORD.finditer(text.lower())]
    want = clean.split()
    words = [t[0] for t in tokens]
    for i in range(len(words) - len(want) + 1):
        if words[i:i + len(want)] == want:
            return tokens[i][1], tokens[i + len(want) - 1][2]
    return None


def right_span(q: dict[str, Any], text: str, start: int, end: int) -> bool:
    """The match overlaps the quoted span by at least half their union: in the
    quoted paragraph, or in another that has the same words (dictionaries have
    near-twin entries: a quote of one is a quote of the other)."""
    if same_passage(q, text):
        # Ingestion may drop a leading bullet: then the passage is a tail of the paragraph.
        shift = max(q["passage"].find(text), 0)
        if _iou((start + shift, end + shift), (q["start"], q["end"])) >= 0.5:
            return True
    where = quoted_span(text, q["clean"])
    return where is not None and _iou((start, end), where) >= 0.5


def build(corpus: Path, cache: Path) -> dict[str, Any]:
    from bot.storage.index_cache import load_engine

    t0 = time.perf_counter()
    engine = load_engine(corpus, cache_dir=cache)
    return {"build_s": time.perf_counter() - t0, "passages": len(engine.corpus),
            "build_peak_mb": peak_mb()}


def serve(corpus: Path, cache: Path, queries: list[dict[str, Any]]) -> dict[str, Any]:
    from bot.storage.index_cache import load_engine

    before, parts = rss_mb(), rss_parts_mb()
    t0 = time.perf_counter()
    engine = load_engine(corpus, cache_dir=cache)
    warm = time.perf_counter() - t0
    loaded = rss_mb() - before
    after = rss_parts_mb()
    private, mapped = after["anon"] - parts["anon"], after["file"] - parts["file"]
    rows = []
    for q in queries:
        t = time.perf_counter()
        result = engine.find(q["text"])
        ms = (time.perf_counter() - t) * 1000
        t = time.perf_counter()
        engine.candidates(q["text"], k=5)
        ac_ms = (time.perf_counter() - t) * 1000
        m = result.match or (result.alternatives[0] if result.alternatives else None)
        correct = q["kind"] == "real" and m is not None and right_span(
            q, m.passage.text, m.start, m.end)
        rows.append({"id": q["id"], "kind": q["kind"], "words": q["words"], "ms": ms,
                     "autocomplete_ms": ac_ms, "verdict": result.verdict,
                     "score": result.score, "accepted": result.found,
                     "correct": bool(correct and result.match is not None),
                     "right_passage_seen": bool(correct),
                     "passage_id": result.match.passage.id if result.match else None,
                     "suggestions": len(result.suggestions)})
    return {"warm_start_s": warm, "engine_rss_mb": loaded, "private_mb": private,
            "mapped_mb": mapped, "serve_peak_mb": peak_mb(), "rows": rows}


def _plain(passages: list[str], query: str) -> tuple[int, float]:
    hit = process.extractOne(query, passages, scorer=fuzz.partial_ratio)
    return (hit[2], hit[1]) if hit else (-1, 0.0)


def _fts_db(passages: list[str]) -> sqlite3.Connection:
    db = sqlite3.connect(":memory:")
    db.execute("CREATE VIRTUAL TABLE p USING fts5(body)")
    db.executemany("INSERT INTO p(rowid, body) VALUES (?, ?)",
                   ((i, t) for i, t in enumerate(passages)))
    return db


def _fts(db: sqlite3.Connection, lowered: list[str], query: str) -> tuple[int, float]:
    terms = " OR ".join(f'"{w}"' for w in dict.fromkeys(query.split()))
    rows = [r[0] for r in db.execute(
        "SELECT rowid FROM p WHERE p MATCH ? ORDER BY bm25(p) LIMIT 50", (terms,))]
    if not rows:
        return -1, 0.0
    scored = [(fuzz.partial_ratio(query, lowered[i]), i) for i in rows]
    score, best = max(scored)
    return best, score


def baselines(corpus: Path, queries: list[dict[str, Any]], plain_n: int,
              fts_n: int) -> dict[str, Any]:
    from bot.storage.corpus_files import load_corpus

    # Only passages long enough to be quoted (queries come from paragraphs of 13+
    # words): partial_ratio gives 100 to any short passage found inside the query,
    # which would make a scan over headings both trivially fast and always wrong.
    texts = [p.text for p in load_corpus(corpus).passages
             if len(p.text.split()) >= MIN_PARAGRAPH_WORDS]
    # Lower-cased once, outside the timing: the queries are lower case, unpunctuated.
    lowered = [_SPACE.sub(" ", t.lower()) for t in texts]
    out: dict[str, Any] = {}
    t0 = time.perf_counter()
    db = _fts_db(texts)
    out["fts5_build_s"] = time.perf_counter() - t0
    real = [q for q in queries if q["kind"] == "real"]
    fake = [q for q in queries if q["kind"] == "fake"]
    # The plain scan takes seconds per query on the full archive: a sample of each kind.
    sample = real[: (plain_n + 1) // 2] + fake[: plain_n // 2]
    fts_sample = real[: (fts_n + 1) // 2] + fake[: fts_n // 2]
    for name, run, chosen in (("plain", lambda q: _plain(lowered, q), sample),
                              ("fts5", lambda q: _fts(db, lowered, q), fts_sample)):
        rows = []
        for q in chosen:
            t = time.perf_counter()
            number, score = run(q["text"])
            ms = (time.perf_counter() - t) * 1000
            text = texts[number] if number >= 0 else ""
            right = q["kind"] == "real" and same_passage(q, text)
            rows.append({"id": q["id"], "kind": q["kind"], "ms": ms, "score": score,
                         "accepted": score >= BASELINE_ACCEPT,
                         "correct": bool(right and score >= BASELINE_ACCEPT)})
        out[name] = rows
    return out


def main(kind: str, corpus: Path, cache: Path, queries: Path | None, out: Path,
         plain_n: int, fts_n: int) -> None:
    qs = [json.loads(line) for line in queries.open()] if queries else []
    qs = [q for q in qs if q["split"] == "test"]
    if kind == "build":
        result = build(corpus, cache)
    elif kind == "serve":
        result = serve(corpus, cache, qs)
    else:
        result = baselines(corpus, qs, plain_n, fts_n)
    out.write_text(json.dumps(result), encoding="utf-8")
