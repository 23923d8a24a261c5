"""Did you mean: only for words the corpus lacks, only for plausible typos."""

from __future__ import annotations

from bot.core.quotes.index import Index
from bot.core.quotes.spelling import DeletionTable, Speller, keys_of
from bot.core.quotes.text import tokenize

WORDS = ["person", "persons", "emprison", "end", "but", "theme", "they", "ally",
         "alliance", "linchpin", "japan", "linchpin", "alliance", "japan", "arctic"]


def _speller() -> Speller:
    return Speller(Index.build([WORDS[:8], WORDS[8:]]))


def test_a_swapped_pair_finds_the_word_not_a_longer_one() -> None:
    assert _speller().spelling("eprson") == "person"
    assert _speller().spelling("lynchpin") == "linchpin"
    assert _speller().spelling("allaince") == "alliance"
    assert _speller().spelling("alyl") == "ally"


def test_other_words_are_not_called_typos() -> None:
    speller = _speller()
    for word in ("send", "about", "them", "japan", "alliances", "xyzzy"):
        assert speller.spelling(word) is None, word


def test_tips_name_each_word_once_and_fall_back_to_a_hint() -> None:
    tips = _speller().suggest(tokenize("eprson eprson sent about"), None)
    assert tips == ("Did you mean “person” for “eprson”?",)
    assert "Nothing in the corpus" in _speller().suggest(tokenize("send about"), None)[0]


def test_the_table_files_each_word_under_its_deletions() -> None:
    index = Index.build([["ally", "alliance"]])
    table = DeletionTable.build(index)
    assert len(table.keys) == 5 + 9  # each word, and each of its one-letter deletions
    assert table.near("aly") == {index.vocab["ally"]}
    assert keys_of("ally") & keys_of("aly")
