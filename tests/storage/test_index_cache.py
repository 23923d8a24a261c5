from pathlib import Path

import pytest

from bot.storage import index_cache
from bot.storage.index_cache import KEEP, SUFFIX, corpus_key, load_engine


def _corpus(tmp_path: Path) -> Path:
    folder = tmp_path / "corpus"
    folder.mkdir()
    (folder / "a.txt").write_text("Heading\n\nThe quick brown fox jumps over the lazy dog.\n")
    return folder


def _caches(cache: Path) -> list[Path]:
    return list(cache.glob(f"*{SUFFIX}"))


def test_the_index_is_cached_and_reused_until_the_corpus_changes(tmp_path: Path) -> None:
    folder, cache = _corpus(tmp_path), tmp_path / "cache"
    load_engine(folder, cache_dir=cache)
    files = _caches(cache)
    assert len(files) == 1 and files[0].stem == corpus_key(folder)
    engine = load_engine(folder, cache_dir=cache)  # from the cache
    assert engine.find("the quick brown fox jumps").found
    (folder / "a.txt").write_text("Heading\n\nA completely different sentence about cats.\n")
    engine = load_engine(folder, cache_dir=cache)
    assert len(_caches(cache)) == 2
    assert not engine.find("the quick brown fox jumps").found
    assert engine.find("a completely different sentence about cats").found


def test_the_cache_gives_the_same_corpus_and_answers_as_a_fresh_build(tmp_path: Path) -> None:
    shipped = Path(__file__).resolve().parents[2] / "corpus"
    fresh = load_engine(shipped, use_cache=False)
    load_engine(shipped, cache_dir=tmp_path)
    cached = load_engine(shipped, cache_dir=tmp_path)
    assert list(cached.corpus.passages) == list(fresh.corpus.passages)
    assert {k: list(d.passages) for k, d in cached.corpus.documents.items()} == \
        {k: list(d.passages) for k, d in fresh.corpus.documents.items()}
    assert cached.corpus.cleaning == fresh.corpus.cleaning
    some = fresh.corpus.passages[5]
    assert cached.corpus.get(some.id) == some and cached.corpus.get("nope") is None
    assert cached.corpus.index_of(some.id) == 5
    assert cached.corpus.neighbours(some.id) == fresh.corpus.neighbours(some.id)
    assert list(cached.index.vocab) == list(fresh.index.vocab)
    for query in ("the us is japans only ally", "linchpin of peace and prosperity",
                  "we will send them about the weather tomorrow"):
        assert cached.find(query) == fresh.find(query)


def test_an_unchanged_corpus_is_recognised_without_reading_it(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder, cache = _corpus(tmp_path), tmp_path / "cache"
    load_engine(folder, cache_dir=cache)

    def no_hashing(folder: Path) -> str:
        raise AssertionError("the corpus was read to hash it")

    monkeypatch.setattr(index_cache, "corpus_key", no_hashing)
    assert load_engine(folder, cache_dir=cache).find("the quick brown fox jumps").found


def test_only_the_most_recently_used_caches_are_kept(tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    for n in range(KEEP + 2):
        folder = tmp_path / f"corpus{n}"
        folder.mkdir()
        (folder / "a.txt").write_text(f"Heading\n\nCorpus number {n} has its own words.\n")
        load_engine(folder, cache_dir=cache)
    kept = {p.stem for p in _caches(cache)}
    assert len(kept) == KEEP
    assert corpus_key(tmp_path / f"corpus{KEEP + 1}") in kept
    assert corpus_key(tmp_path / "corpus0") not in kept
    assert len(list(cache.glob("*.stamp"))) == KEEP


def test_a_manifest_may_name_a_file_outside_the_folder(tmp_path: Path) -> None:
    outside = tmp_path / "elsewhere.txt"
    outside.write_text("Heading\n\nThe quick brown fox jumps over the lazy dog.\n")
    folder = tmp_path / "corpus"
    folder.mkdir()
    (folder / "corpus.yaml").write_text(
        f"documents:\n  - id: fox\n    file: {outside}\n    title: Fox\n")
    engine = load_engine(folder, cache_dir=tmp_path / "cache")
    assert engine.find("the quick brown fox jumps").found


def test_a_build_pauses_the_collector_and_leaves_it_as_it_was(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import gc

    states: list[bool] = []
    real = index_cache.load_corpus

    def spy(folder: Path) -> object:
        states.append(gc.isenabled())
        return real(folder)

    monkeypatch.setattr(index_cache, "load_corpus", spy)
    folder = _corpus(tmp_path)
    assert gc.isenabled()
    load_engine(folder, cache_dir=tmp_path / "cache")
    load_engine(folder, use_cache=False)
    assert states == [False, False] and gc.isenabled()
    gc.disable()
    try:
        with index_cache.collector_paused():
            pass
        assert not gc.isenabled()  # one already off stays off
    finally:
        gc.enable()
