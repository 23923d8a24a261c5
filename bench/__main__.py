"""``python -m bench``: the archive-scale quote benchmark (issue #6).

    python -m bench run             # fetch the texts, build the corpora, measure, report
    python -m bench run --sizes 1MB --queries 200   # a quicker partial run
    python -m bench smoke --out DIR # seconds, on the shipped corpus; what the tests run
    python -m bench worker ...      # internal: one measurement in its own process
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from bench import baseline, corpora, measure, queries, report, sources, startup

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent


def _worker(kind: str, corpus: Path, cache: Path, qfile: Path | None, tmp: Path,
            plain_n: int = 0, fts_n: int = 0, code: Path = ROOT) -> dict[str, Any]:
    out = tmp / f"{kind}-{code.name}.json"
    cmd = [sys.executable, "-m", "bench", "worker", kind, "--corpus", str(corpus),
           "--cache", str(cache), "--out", str(out), "--plain", str(plain_n),
           "--fts", str(fts_n)]
    if qfile:
        cmd += ["--queries", str(qfile)]
    # One core: the targets are per core, and a shared machine should not blur them.
    env = {**os.environ, "OMP_NUM_THREADS": "1", "RAPIDFUZZ_NUM_THREADS": "1"}
    subprocess.run(cmd, check=True, cwd=code, env=env)
    result: dict[str, Any] = json.loads(out.read_text())
    return result


def make_queries(folder: Path, held: list[str], count: int, seed: int,
                 out: Path) -> int:
    paragraphs = [p for ps in corpora.read_paragraphs(folder).values() for p in ps]
    shingles = queries.Shingles(paragraphs)
    redrawn = 0
    with out.open("w", encoding="utf-8") as fh:
        for split in ("test", "calib"):
            qs, n = queries.generate(paragraphs, held, count, split, seed, shingles)
            redrawn += n
            for q in qs:
                fh.write(json.dumps(q.as_dict()) + "\n")
    return redrawn


def measure_size(label: str, folder: Path, held: list[str], args: argparse.Namespace,
                 work: Path) -> dict[str, Any]:
    work.mkdir(parents=True, exist_ok=True)
    qfile = work / f"queries-{label}.jsonl"
    t = time.perf_counter()
    redrawn = make_queries(folder, held, args.queries, args.seed, qfile)
    print(f"[{label}] {corpora.corpus_mb(folder):.1f} MB: queries made in "
          f"{time.perf_counter() - t:.1f} s ({redrawn} fakes redrawn: half in the corpus verbatim)")
    query = next(json.loads(line)["text"] for line in qfile.open())
    with tempfile.TemporaryDirectory() as tmp:
        engines = {"engine": ROOT}
        if args.old_ref:
            engines["old_engine"] = baseline.checkout(args.old_ref, Path(tmp) / "old")
        measured: dict[str, dict[str, Any]] = {}
        for name, code in engines.items():
            root = work / f"cache-{name}-{label}"
            shutil.rmtree(root, ignore_errors=True)
            cache = root / "bluebook-bot"  # where the CLI looks, with BLUEBOOK_CACHE_DIR=root
            build = _worker("build", folder, cache, None, Path(tmp), code=code)
            print(f"[{label}] {name}: cold build {build['build_s']:.1f} s")
            serve = _worker("serve", folder, cache, qfile, Path(tmp), code=code)
            process = startup.measure(code, folder, root, query)
            print(f"[{label}] {name}: served {len(serve['rows'])} queries; "
                  f"quote process {process['quote_s']:.2f} s")
            measured[name] = {"build": build, "serve": serve, "process": process}
        plain_n = args.plain if label == "full" else min(args.plain * 4, 2 * args.queries)
        fts_n = args.fts if label == "full" else 2 * args.queries
        base = _worker("baselines", folder, work / f"cache-engine-{label}", qfile, Path(tmp),
                       plain_n, fts_n)
    return report.summarise(label, corpora.corpus_mb(folder), measured, base, redrawn)


def machine() -> dict[str, Any]:
    try:
        lscpu = subprocess.run(["lscpu"], capture_output=True, text=True).stdout
    except OSError:
        lscpu = ""
    return {"python": sys.version.split()[0], "platform": platform.platform(),
            "nproc": os.cpu_count(), "lscpu": lscpu.splitlines()[:10],
            "date": time.strftime("%Y-%m-%d %H:%M:%S")}


def run(args: argparse.Namespace) -> list[dict[str, Any]]:
    data: Path = args.data
    root = sources.fetch(data)
    sizes = {k: v for k, v in corpora.SIZES_MB.items() if k in args.sizes}
    if args.rebuild or not all((data / "corpora" / s).is_dir() for s in sizes) \
            or not (data / "corpora" / "heldout.json").exists():
        print("building corpora from", root)
        corpora.build(sources.all_sources(root), data / "corpora", seed=args.seed)
    held_all: dict[str, list[str]] = json.loads((data / "corpora" / "heldout.json").read_text())
    results = []
    for label in sizes:
        folder = data / "corpora" / label
        held = [p for f in sorted(os.listdir(folder)) for p in held_all.get(f, [])]
        results.append(measure_size(label, folder, held, args, args.work or data))
    finish(results, args)
    return results


def smoke(args: argparse.Namespace) -> list[dict[str, Any]]:
    """The whole pipeline in seconds on the shipped corpus's paragraphs: no download."""
    out: Path = args.out
    paragraphs = [p for path in sorted((ROOT / "corpus").glob("*.txt"))
                  for p in path.read_text(encoding="utf-8").split("\n\n")
                  if len(p.split()) >= queries.MIN_PARAGRAPH_WORDS]
    paragraphs = [" ".join(p.split()) for p in paragraphs]
    corpus = {"smoke": iter(paragraphs)}
    folder = corpora.build(corpus, out / "corpora", seed=args.seed,
                           sizes={"smoke": float("inf")})["smoke"]
    # Too few paragraphs for a 2 % hold-out: hold back the last two instead.
    files = sorted(folder.glob("*.txt"))
    kept = files[0].read_text(encoding="utf-8").split("\n\n")
    files[0].write_text("\n\n".join(kept[:-2]) + "\n", encoding="utf-8")
    held = [p.strip() for p in kept[-2:]]
    results = [measure_size("smoke", folder, held, args, out)]
    finish(results, args)
    return results


def finish(results: list[dict[str, Any]], args: argparse.Namespace) -> None:
    meta = {"machine": machine(), "command": " ".join(["python -m bench", *sys.argv[1:]]),
            "queries_per_kind": args.queries, "seed": args.seed}
    report.write(results, meta, args.results)
    print(report.table(results))
    print(f"wrote {args.results / 'results.json'} and {args.results / 'latency.png'}")


def main(argv: list[str] | None = None) -> list[dict[str, Any]] | None:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="cmd", required=True)
    for name in ("run", "smoke"):
        p = sub.add_parser(name)
        p.add_argument("--queries", type=int, default=500 if name == "run" else 6,
                       help="real and fake test queries per corpus, each (default 500)")
        p.add_argument("--plain", type=int, default=10 if name == "run" else 4,
                       help="queries for the plain scan on the full corpus (x4 on smaller)")
        p.add_argument("--fts", type=int, default=200 if name == "run" else 12,
                       help="queries for the FTS5 baseline on the full corpus (all on smaller)")
        p.add_argument("--seed", type=int, default=6)
        p.add_argument("--old-ref", default=baseline.OLD_REF if name == "run" else None,
                       help="git ref of the engine to compare against in the same run "
                            f"(default for run: {baseline.OLD_REF}; '' for none)")
        if name == "run":
            p.add_argument("--sizes", nargs="+", default=list(corpora.SIZES_MB),
                           choices=list(corpora.SIZES_MB))
            p.add_argument("--data", type=Path, default=HERE / "data")
            p.add_argument("--results", type=Path, default=HERE / "results")
            p.add_argument("--rebuild", action="store_true", help="rebuild the corpora")
            p.add_argument("--work", type=Path, default=None,
                           help="where queries and caches go (default: --data)")
        else:
            p.add_argument("--out", type=Path, required=True)
            p.add_argument("--results", type=Path, default=None)
    w = sub.add_parser("worker")
    w.add_argument("kind", choices=("build", "serve", "baselines"))
    w.add_argument("--corpus", type=Path, required=True)
    w.add_argument("--cache", type=Path, required=True)
    w.add_argument("--queries", type=Path)
    w.add_argument("--out", type=Path, required=True)
    w.add_argument("--plain", type=int, default=0)
    w.add_argument("--fts", type=int, default=0)
    args = parser.parse_args(argv)
    if args.cmd == "worker":
        measure.main(args.kind, args.corpus, args.cache, args.queries, args.out, args.plain,
                     args.fts)
        return None
    if args.cmd == "smoke":
        args.results = args.results or args.out / "results"
        return smoke(args)
    return run(args)


if __name__ == "__main__":
    main()
