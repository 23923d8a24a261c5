from bot.core.rendering.markup import ZWSP, bold, escape, is_balanced, plain, strike, truncate


def test_escape_neutralises_markdown_and_mentions() -> None:
    raw = "**not bold** _x_ ~~y~~ `code` ||spoiler|| [link](http://x) @everyone <@123>"
    out = escape(raw)
    assert "**" not in out.replace("\\*\\*", "")
    assert "@everyone" not in out and "<@123>" not in out
    assert ZWSP in out
    assert plain(out) == raw  # what a reader sees is unchanged


def test_escape_block_markdown_at_line_start() -> None:
    out = escape("> quote\n# heading\n- item\n1. first")
    assert out.splitlines() == ["\\> quote", "\\# heading", "\\- item", "1\\. first"]
    assert plain(out) == "> quote\n# heading\n- item\n1. first"


def test_bold_keeps_spaces_outside_markers() -> None:
    assert bold(" the U.S. ") == " **the U.S.** "
    assert strike("is") == "~~is~~"
    assert bold("  ") == "  "


def test_truncate_never_leaves_markup_open() -> None:
    text = "plain " + bold("bold words here and more") + " then " + strike("struck * text")
    for limit in range(1, len(text) + 1):
        cut = truncate(text, limit)
        assert len(cut) <= limit
        assert is_balanced(cut), cut
        assert not cut.endswith("\\") or cut.endswith("\\\\")
    assert truncate(text, len(text)) == text
    assert truncate(text, 30) == "plain **bold words here…**"


def test_truncate_does_not_split_an_escape() -> None:
    text = escape("a*b*c*d*e*f*g*h")
    for limit in range(2, len(text)):
        assert plain(truncate(text, limit)).rstrip("…") in plain(text)
