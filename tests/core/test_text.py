from bot.core.quotes.text import (
    clip_words,
    find_span,
    fold_verbatim,
    normalize,
    preview,
    sentence_initial,
    split_fragments,
    tokenize,
)


def test_abbreviations_hyphens_and_apostrophes_normalise_like_people_type_them() -> None:
    assert normalize("The U.S. is Japan's only ally.") == normalize("the us is japans only ally")
    assert normalize("Japan-U.S. Alliance") == "japan us alliance"
    assert normalize("(ICBM)-class") == "icbm class"


def test_tokens_point_back_at_the_exact_source_characters() -> None:
    text = "With the U.S. as Japan's only ally, the Japan-U.S. relationship"
    spans = [text[t.start:t.end] for t in tokenize(text)]
    assert spans == ["With", "the", "U.S.", "as", "Japan's", "only", "ally", "the", "Japan",
                     "U.S.", "relationship"]


def test_fold_verbatim_folds_only_whitespace_and_quote_marks() -> None:
    assert fold_verbatim("“Free  and\nOpen”  Japan’s") == '"Free and Open" Japan\'s'
    assert fold_verbatim("free and open") != fold_verbatim("Free and Open")


def test_ellipses_split_a_quotation_into_fragments() -> None:
    assert split_fragments("Japan and Canada ... as members of the G8") == [
        "Japan and Canada", "as members of the G8"]
    assert split_fragments("one … two") == ["one", "two"]
    assert split_fragments("... ") == []


def test_preview_cuts_at_a_word_with_an_ellipsis() -> None:
    assert preview("alpha beta gamma delta", 12) == "alpha beta…"
    assert preview("short", 12) == "short"


def test_find_span_folds_like_fact_validation_and_falls_back_to_words() -> None:
    text = "The United States  (U.S.) is Japan’s only ally. More follows."
    start, end = find_span(text, "The United States (U.S.) is Japan's only ally.") or (0, 0)
    assert text[start:end] == "The United States  (U.S.) is Japan’s only ally."
    start, end = find_span(text, "japans ONLY ally") or (0, 0)
    assert text[start:end] == "Japan’s only ally"
    assert find_span(text, "only allies") is None
    assert find_span(text, "  ") is None


def test_clip_words_keeps_whole_words_within_both_limits() -> None:
    text = " ".join(f"word{i}" for i in range(300))
    clipped = clip_words(text, 100, 1000)
    assert len(clipped.split()) == 100 and text.startswith(clipped)
    assert clip_words(text, 100, 50) == "word0 word1 word2 word3 word4 word5 word6 word7"
    assert clip_words("short quote here", 100, 1000) == "short quote here"


def test_a_word_after_an_initial_does_not_open_a_sentence() -> None:
    text = "with President Donald J. Trump, where. Then"
    assert not sentence_initial(text, text.index("Trump"))
    assert sentence_initial(text, text.index("Then"))
