"""Text normalisation shared by the index, the matcher and fact validation.

People quote from memory: case, punctuation, hyphens and the dots in "U.S." all
vary. Everything that compares text goes through :func:`tokenize`, which turns a
string into lower-case alphanumeric words *and remembers where each word sits in
the original*, so that a match found on normalised words can always be reported
as an exact span of the corpus text.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

# Characters dropped *inside* a word, so "U.S." -> "us" and "Japan's" -> "japans".
# Everything else that is not a letter or digit separates words ("Japan-U.S." ->
# "japan us").
_JOINERS = frozenset("'.’‘`´ʼ")
# Quote marks folded together when comparing quotations verbatim.
_QUOTE_FOLD = str.maketrans({"‘": "'", "’": "'", "ʼ": "'", "´": "'", "`": "'",
                             "“": '"', "”": '"', "„": '"', "«": '"', "»": '"'})
_SPACE_RE = re.compile(r"\s+")
ELLIPSIS_RE = re.compile(r"\s*(?:\.\s*\.\s*\.|…)\s*")


@dataclass(frozen=True, slots=True)
class Token:
    """One normalised word and the half-open span ``[start, end)`` it covers in the source."""

    norm: str
    start: int
    end: int


_WORD_RE = re.compile(r"[^\W_]+(?:['.’‘`´ʼ][^\W_]+)*")
_STRIP = str.maketrans("", "", "'.’‘`´ʼ")
# _WORD_RE, then the dot after a one-letter segment that follows a dot inside the
# word ("U.S." ends after its second dot): tokenize()'s rule, for ASCII text.
_ASCII_WORD_RE = re.compile(r"[^\W_]+(?:['.’‘`´ʼ][^\W_]+)*(?:(?<=[^\W_]\.[^\W_])\.)?")


def tokenize(text: str) -> list[Token]:
    """Split *text* into normalised words with their offsets into *text*.

    Letters are NFKC-normalised and case-folded; apostrophes and dots between
    letters are dropped without ending the word ("U.S." -> "us", "Japan's" ->
    "japans"); anything else ends it ("Japan-U.S." -> "japan", "us"). A dot right
    after a one-letter segment closes an abbreviation, so it joins the span.
    """
    if text.isascii():
        # Lowering all of ASCII text keeps every offset; the regex then takes the dot
        # that closes "U.S." itself, so each word is one call and no branch.
        return [Token(m.group().translate(_STRIP), m.start(), m.end())
                for m in _ASCII_WORD_RE.finditer(text.lower())]
    tokens: list[Token] = []
    n = len(text)
    for m in _WORD_RE.finditer(text):
        start, end = m.span()
        word = m.group()
        if end < n and text[end] == "." and len(word) >= 2 and word[-2] in ".":
            end += 1  # "U.S." : the closing dot belongs to the abbreviation
        # NFKC leaves ASCII as it is, and casefold is lower there: most words skip both.
        norm = word.translate(_STRIP)
        norm = norm.lower() if norm.isascii() else unicodedata.normalize("NFKC", norm).casefold()
        tokens.append(Token(norm, start, end))
    return tokens


def words(text: str) -> list[str]:
    """The normalised words of *text*, without offsets: ``[t.norm for t in tokenize(text)]``.

    Indexing a large archive spends most of its time here, so plain ASCII text
    (almost all of it) takes a path without per-word objects: NFKC leaves ASCII
    unchanged and casefold equals lower there, so the result is the same."""
    if text.isascii():
        # The ASCII joiners are ' . and `: deleting them from the joined words with
        # str.replace is a C pass, where translate() per word cost a call each.
        joined = " ".join(_WORD_RE.findall(text.lower()))
        for ch in "'.`":
            if ch in joined:
                joined = joined.replace(ch, "")
        return joined.split(" ") if joined else []
    return [t.norm for t in tokenize(text)]


# words_many()'s ASCII batches, as bytes: A-Z lowered, letters, digits, the joiners
# and the newline between texts kept, every other byte a space.
_BATCH_KEPT = frozenset(b"abcdefghijklmnopqrstuvwxyz0123456789'.`\n")
_BATCH_CASE = bytes(c + 32 if 65 <= c <= 90 else c if c in _BATCH_KEPT else 32
                    for c in range(256))
# A joiner with a letter or digit on both sides is inside a word (the only place
# _WORD_RE lets one be); \b sees just those, for no "_" is left.
_BATCH_JOINER_RE = re.compile(rb"\b['.`]\b")
_BATCH_SPACE = bytes.maketrans(b"'.`", b"   ")  # the joiners left end words
_BATCH_TEXTS = 2048


def words_many(texts: Iterable[str]) -> Iterator[list[str]]:
    """``words(text)`` for each of *texts*, in order, the same lists.

    Indexing a large archive calls this for every passage. Plain ASCII texts are
    normalised a batch at a time, joined by newlines: three C passes over the
    bytes (lower and blank out everything but words, drop the joiners inside
    words, blank the rest) and a split, with no regex match object or word made
    twice. Any other text takes :func:`words`."""
    batch: list[str] = []
    for text in texts:
        if text.isascii() and "\n" not in text:
            batch.append(text)
            if len(batch) == _BATCH_TEXTS:
                yield from _ascii_batch(batch)
                batch = []
            continue
        yield from _ascii_batch(batch)
        batch = []
        yield words(text)
    yield from _ascii_batch(batch)


def _ascii_batch(texts: list[str]) -> Iterator[list[str]]:
    if not texts:
        return
    data = "\n".join(texts).encode("ascii").translate(_BATCH_CASE)
    data = _BATCH_JOINER_RE.sub(b"", data).translate(_BATCH_SPACE)
    for line in data.decode("ascii").split("\n"):
        yield line.split()


def normalize(text: str) -> str:
    """The normalised words of *text* joined by single spaces."""
    return " ".join(words(text))


def fold_verbatim(text: str) -> str:
    """Collapse whitespace and fold quote marks only: the comparison for "quoted verbatim"."""
    return _SPACE_RE.sub(" ", unicodedata.normalize("NFC", text).translate(_QUOTE_FOLD)).strip()


# The characters fold_verbatim() makes equal, as regex classes for finding a span.
_FOLD_CLASS = {"'": "['‘’ʼ´`]", '"': '["“”„«»]'}


def find_span(text: str, quote: str) -> tuple[int, int] | None:
    """Where *quote* sits in *text*, as ``[start, end)`` offsets into *text*.

    First as :func:`fold_verbatim` compares (whitespace and quote marks folded),
    which is how fact quotes are validated; failing that, on normalised words, so a
    quote that only matched word for word is still found. None when it is absent.
    """
    folded = fold_verbatim(quote)
    if not folded:
        return None
    pattern = "".join(r"\s+" if ch == " " else _FOLD_CLASS.get(ch) or re.escape(ch)
                      for ch in folded)
    hit = re.search(pattern, text)
    if hit:
        return hit.span()
    wanted = words(quote)
    tokens = tokenize(text)
    n = len(wanted)
    for i in range(len(tokens) - n + 1):
        if [t.norm for t in tokens[i:i + n]] == wanted:
            return tokens[i].start, tokens[i + n - 1].end
    return None


def split_fragments(query: str) -> list[str]:
    """Split a quotation at ellipses ("..." or "…") into its non-empty fragments."""
    return [part for part in ELLIPSIS_RE.split(query) if words(part)]


def preview(text: str, limit: int) -> str:
    """*text* on one line, cut at a word boundary to at most *limit* characters with an ellipsis."""
    flat = _SPACE_RE.sub(" ", text).strip()
    if len(flat) <= limit:
        return flat
    cut = flat[: max(limit - 1, 0)]
    space = cut.rfind(" ")
    if space > limit // 2:
        cut = cut[:space]
    return cut.rstrip(" ,;:") + "…"


def clip_words(text: str, max_words: int, max_chars: int) -> str:
    """The start of *text*: at most *max_words* words and *max_chars* characters,
    cut after a whole word (for looking up a long message as a quotation)."""
    end = 0
    for count, token in enumerate(tokenize(text[: max_chars + 1]), start=1):
        if count > max_words or token.end > max_chars:
            break
        end = token.end
    return text[:end] if end else text[:max_chars].strip()


_SENTENCE_END = frozenset(".!?")
_OPENERS = frozenset(" \t\n\"'“”‘’(<•")


def sentence_initial(text: str, start: int) -> bool:
    """Whether the word at *start* opens a sentence (so its capital says nothing)."""
    i = start - 1
    while i >= 0 and text[i] in _OPENERS:
        i -= 1
    if i >= 1 and text[i] == "." and text[i - 1].isupper() and (i < 2 or text[i - 2] == " "):
        return False  # after an initial: "Donald J. Trump"
    return i < 0 or text[i] in _SENTENCE_END or text[i] == ":"


def sentence_starts(tokens: list[Token], text: str) -> frozenset[int]:
    """The positions in *tokens* where a new sentence begins (after the first).

    A full stop, question or exclamation mark between two words ends a sentence
    when the next word is capitalised; a dot that closes an abbreviation ("the
    U.S. The visit") does so only before a capitalised word that is not a name
    the abbreviation often precedes."""
    starts = set()
    for i in range(1, len(tokens)):
        tok = tokens[i]
        if not text[tok.start:tok.start + 1].isupper():
            continue  # most words: no slice of the text between them is needed
        prev = tokens[i - 1]
        between = text[prev.end:tok.start]
        # "Donald J. Trump": the dot after an initial ends no sentence.
        stop = any(c in _SENTENCE_END for c in between) and not (
            len(prev.norm) == 1 and between.strip() == ".")
        abbreviation = (text[prev.end - 1:prev.end] == "." and not between.strip()
                        and tok.norm in _STARTERS)
        if stop or abbreviation or "\n" in between:
            starts.add(i)
    return frozenset(starts)


# Capitalised words that after "U.S." begin a new sentence rather than a name.
_STARTERS = frozenset(["the", "this", "these", "that", "in", "at", "on", "it", "its", "as",
                       "with", "a", "an", "furthermore", "however", "moreover", "also", "both",
                       "japan"])
