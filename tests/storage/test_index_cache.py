from pathlib import Path

from bot.storage.index_cache import corpus_key, load_engine


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
