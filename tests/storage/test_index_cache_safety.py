"""The index cache cannot run planted code, survives damage, and a killed build
leaves nothing behind."""

from __future__ import annotations

import logging
import os
import pickle
import random
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from bot.storage.index_cache import SUFFIX, corpus_key, load_engine

QUERIES = ("the quick brown fox jumps over", "a lazy dog sleeps in the sun all day",
           "the brwon fox jumsp over a dog")


def _corpus(tmp_path: Path) -> Path:
    folder = tmp_path / "corpus"
    folder.mkdir()
    (folder / "a.txt").write_text(
        "Heading\n\nThe quick brown fox jumps over the lazy dog.\n\n"
        "A lazy dog sleeps in the sun all day long, and the fox runs on.\n\n"
        "Second Heading\n\nNothing here resembles either of the others at all.\n")
    return folder


def _answers(folder: Path, cache: Path) -> list[object]:
    engine = load_engine(folder, cache_dir=cache)
    return [engine.find(q) for q in QUERIES]


class _Payload:
    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self) -> tuple[object, tuple[str]]:
        return os.system, (f"touch {self.marker}",)


def test_a_planted_pickle_is_never_run(tmp_path: Path,
                                       caplog: pytest.LogCaptureFixture) -> None:
    folder, cache = _corpus(tmp_path), tmp_path / "cache"
    cache.mkdir(mode=0o700)
    marker = tmp_path / "ran"
    evil = pickle.dumps(_Payload(marker))
    key = corpus_key(folder)
    for name in (f"{key}{SUFFIX}", f"{key}.pickle", f"{key}.stamp"):
        (cache / name).write_bytes(evil)
    with caplog.at_level(logging.WARNING):
        answers = _answers(folder, cache)
    assert not marker.exists()
    assert answers == _answers(folder, tmp_path / "clean")
    assert "damaged" in caplog.text
    assert not (cache / f"{key}.pickle").exists()  # the old format is removed, unread


def test_random_corruption_is_rejected_and_rebuilt_or_harmless(tmp_path: Path) -> None:
    folder, cache = _corpus(tmp_path), tmp_path / "cache"
    want = _answers(folder, cache)
    path = cache / f"{corpus_key(folder)}{SUFFIX}"
    good = path.read_bytes()
    rng = random.Random(11)
    rebuilt = 0
    for trial in range(300):
        damaged = bytearray(good)
        for _ in range(rng.choice((1, 1, 2, 8))):
            damaged[rng.randrange(len(damaged))] ^= 1 << rng.randrange(8)
        if trial % 10 == 0:
            damaged = damaged[:rng.randrange(len(damaged))]  # cut short
        path.write_bytes(bytes(damaged))
        assert _answers(folder, cache) == want, f"trial {trial}"
        rebuilt += path.read_bytes() == good
    # The rest hit only the zero padding between sections, which nothing reads.
    assert rebuilt >= 250


def test_a_folder_others_can_write_to_is_refused(tmp_path: Path,
                                                 caplog: pytest.LogCaptureFixture) -> None:
    folder, cache = _corpus(tmp_path), tmp_path / "shared"
    cache.mkdir()
    cache.chmod(0o777)
    with caplog.at_level(logging.WARNING):
        assert _answers(folder, cache) == _answers(folder, tmp_path / "mine")
    assert "refusing the index cache folder" in caplog.text
    assert list(cache.iterdir()) == []  # nothing read, nothing written


def test_the_cache_folder_is_private(tmp_path: Path) -> None:
    cache = tmp_path / "new" / "cache"
    _answers(_corpus(tmp_path), cache)
    assert cache.stat().st_mode & 0o777 == 0o700
    assert all(p.stat().st_mode & 0o077 == 0 for p in cache.iterdir())


KILLER = textwrap.dedent("""
    import os, signal, sys
    from pathlib import Path
    from bot.storage import cache_file
    from bot.storage.index_cache import load_engine

    real = cache_file._write_atomically

    def dying(path, write):
        def half(fh):
            fh.write(b"x" * 100_000)
            fh.flush()
            os.kill(os.getpid(), signal.SIGKILL)
        real(path, half)

    cache_file._write_atomically = dying
    load_engine(Path(sys.argv[1]), cache_dir=Path(sys.argv[2]))
""")


def test_a_build_killed_midway_leaves_no_temporary_files(tmp_path: Path) -> None:
    folder, cache = _corpus(tmp_path), tmp_path / "cache"
    for _ in range(3):
        run = subprocess.run([sys.executable, "-c", KILLER, str(folder), str(cache)],
                             capture_output=True, timeout=120)
        assert run.returncode == -9, run.stderr
    assert not list(cache.glob(f"*{SUFFIX}"))
    assert _answers(folder, cache) == _answers(folder, tmp_path / "clean")
    assert sorted(p.suffix for p in cache.iterdir()) == [SUFFIX, ".stamp"]
