from pathlib import Path

from bot.storage.index_cache import KEEP, corpus_key, load_engine


def _corpus(tmp_path: Path) -> Path:
    folder = tmp_path / "corpus"
    folder.mkdir()
    (folder / "a.txt").write_text("Heading\n\nThe quick brown fox jumps over the lazy dog.\n")
    return folder


def test_the_index_is_cached_and_reused_until_the_corpus_changes(tmp_path: Path) -> None:
    folder, cache = _corpus(tmp_path), tmp_path / "cache"
    load_engine(folder, cache_dir=cache)
    files = list(cache.glob("*.pickle"))
    assert len(files) == 1 and files[0].stem == corpus_key(folder)
    engine = load_engine(folder, cache_dir=cache)  # from the cache
    assert engine.find("the quick brown fox jumps").found
    (folder / "a.txt").write_text("Heading\n\nA completely different sentence about cats.\n")
    engine = load_engine(folder, cache_dir=cache)
    assert len(list(cache.glob("*.pickle"))) == 2
    assert not engine.find("the quick brown fox jumps").found


def test_a_damaged_cache_is_rebuilt_not_fatal(tmp_path: Path) -> None:
    folder, cache = _corpus(tmp_path), tmp_path / "cache"
    cache.mkdir()
    (cache / f"{corpus_key(folder)}.pickle").write_bytes(b"not a pickle")
    assert load_engine(folder, cache_dir=cache).find("the quick brown fox jumps").found


def test_the_cache_round_trips_corpus_and_index_exactly(tmp_path: Path) -> None:
    from bot.storage.corpus_files import load_corpus
    from bot.storage.index_cache import build_index, pack, unpack

    folder = _corpus(tmp_path)
    corpus = load_corpus(folder)
    index = build_index(corpus)
    corpus2, index2 = unpack(pack(corpus, index))
    assert corpus2.passages == corpus.passages and corpus2.documents == corpus.documents
    assert index2.vocab == index.vocab and index2.docs == index.docs
    assert index2.weights == index.weights and index2.offsets == index.offsets


def test_a_cache_cut_short_in_its_arrays_is_rebuilt(tmp_path: Path) -> None:
    folder, cache = _corpus(tmp_path), tmp_path / "cache"
    load_engine(folder, cache_dir=cache)
    path = cache / f"{corpus_key(folder)}.pickle"
    path.write_bytes(path.read_bytes()[:-8])  # the arrays follow the pickle
    assert load_engine(folder, cache_dir=cache).find("the quick brown fox jumps").found


def test_only_the_most_recently_used_caches_are_kept(tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    for n in range(KEEP + 2):
        folder = tmp_path / f"corpus{n}"
        folder.mkdir()
        (folder / "a.txt").write_text(f"Heading\n\nCorpus number {n} has its own words.\n")
        load_engine(folder, cache_dir=cache)
    kept = {p.stem for p in cache.glob("*.pickle")}
    assert len(kept) == KEEP
    assert corpus_key(tmp_path / f"corpus{KEEP + 1}") in kept
    assert corpus_key(tmp_path / "corpus0") not in kept


def test_a_manifest_may_name_a_file_outside_the_folder(tmp_path: Path) -> None:
    outside = tmp_path / "elsewhere.txt"
    outside.write_text("Heading\n\nThe quick brown fox jumps over the lazy dog.\n")
    folder = tmp_path / "corpus"
    folder.mkdir()
    (folder / "corpus.yaml").write_text(
        f"documents:\n  - id: fox\n    file: {outside}\n    title: Fox\n")
    engine = load_engine(folder, cache_dir=tmp_path / "cache")
    assert engine.find("the quick brown fox jumps").found
