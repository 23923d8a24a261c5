"""Read a web page into blocks: the main text only, the author's words verbatim.

Parsed with selectolax's Lexbor engine, an HTML5 parser: it builds the tree a
browser would from the ministry's hand-edited pages (unclosed ``<p>``, stray
tags), decodes every entity, and is several times faster than lxml on them.

Navigation chrome is dropped and logged: site menus, headers and footers,
breadcrumbs, scripts and styles, "Contents | Back | Next", "Back to Index",
"Page Top" and the "Text File" link. Footnote markers (``<sup>*1</sup>``) become
the plain format's ``(1)`` after the word, and notes become ``(1) …`` blocks, so
the loader links each to the paragraph that cites it.
"""

from __future__ import annotations

import re

from selectolax.lexbor import LexborHTMLParser, LexborNode

from bot.core.quotes.ingest import CHROME_LINES
from bot.readers.blocks import Reading, describe

_DROP = ("script", "style", "noscript", "template", "nav", "header", "footer", "aside",
         "form", "iframe", "svg", "button", "select", "object", "embed")
# id or class names of page furniture in the ministry's templates and most sites.
_CHROME_NAME_RE = re.compile(
    r"(?:^|[-_\s])(?:g?nav\w*|menu\w*|breadcrumbs?|topicpath|header|footer|sidebar|side|"
    r"pagetop|page-top|skip\w*|share|social|sns|banner|search|lang\w*|toc-links?)(?:$|[-_\s])",
    re.IGNORECASE)
_NOTE_NAME_RE = re.compile(r"(?:^|[-_\s])(?:foot)?notes?(?:$|[-_\s])", re.IGNORECASE)
_CAPTION_NAME_RE = re.compile(r"(?:^|[-_\s])(?:photo-?)?caption(?:$|[-_\s])", re.IGNORECASE)
_FIGURE_NAME_RE = re.compile(r"(?:^|[-_\s])(?:fig(?:ure)?-?title|chart-?title)(?:$|[-_\s])",
                             re.IGNORECASE)
_MAIN = ("main", "article", "#main", "#contents", "#content", "#maincontents",
         "#main-contents", ".main", ".contents", ".content")
_BLOCK_TAGS = {"p", "li", "dd", "dt", "blockquote", "pre", "div", "section", "ul", "ol", "dl",
               "table", "tr", "td", "th", "figure", "figcaption", "caption", "h1", "h2", "h3",
               "h4", "h5", "h6", "tbody", "thead", "article", "main"}
_MARKER_RE = re.compile(r"^\s*[\[(]?\*?\s*(\d{1,3})[\])]?\s*$")
_NOTE_START_RE = re.compile(r"^\s*(?:\*\s*(\d{1,3})|\((\d{1,3})\)|\[(\d{1,3})\]|"
                            r"(?:Note\s+)?(\d{1,3})[.:)])\s+(?=\S)", re.IGNORECASE)
_NAV_WORDS = {"contents", "back", "next", "previous", "back to index", "page top", "text file",
              "back to top", "top", "index", "home", "print"}
_CHARSET_RE = re.compile(rb"""<meta[^>]+charset=["']?([\w-]+)""", re.IGNORECASE)


def decode_html(data: bytes, declared: str | None = None) -> tuple[str, str]:
    """The page's text and the encoding used: the BOM, the HTTP header, the page's
    own ``<meta charset>``, else UTF-8 (Windows-1252 if it is not UTF-8)."""
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", "replace"), "utf-8"
    meta = _CHARSET_RE.search(data[:4096])
    for name in (declared, meta.group(1).decode("ascii") if meta else None, "utf-8"):
        if name:
            try:
                return data.decode(name), name
            except (LookupError, UnicodeDecodeError):
                continue
    return data.decode("cp1252", "replace"), "cp1252"


def _names(node: LexborNode) -> str:
    attrs = node.attributes
    return f"{attrs.get('id') or ''} {attrs.get('class') or ''}"


MAX_DEPTH = 100  # deeper than any real page: below it, an element's text is taken whole


def _inline_text(node: LexborNode, depth: int = 0) -> str:
    """The text of *node*, with note markers written ``(1)`` against the word."""
    if depth > MAX_DEPTH:
        return node.text(separator=" ")
    parts: list[str] = []
    child = node.child
    while child is not None:
        if child.is_text_node:
            parts.append(child.text(deep=False))
        elif child.tag == "br":
            parts.append(" ")
        elif child.tag == "sup" and (m := _MARKER_RE.match(child.text())):
            while parts and parts[-1].endswith(" "):
                parts[-1] = parts[-1].rstrip()
            parts.append(f"({m[1]})")
        elif child.is_element_node and child.tag not in _DROP:
            parts.append(_inline_text(child, depth + 1))
        child = child.next
    return "".join(parts)


def _is_nav(node: LexborNode, text: str) -> bool:
    """A line of navigation links: short, and every word of it a link or a known nav word."""
    if len(text) < 80 and any(p.match(text) for p in CHROME_LINES):
        return True
    words = [w.strip().casefold() for w in re.split(r"[|/>»«<]", text) if w.strip()]
    return bool(words) and all(w in _NAV_WORDS for w in words) and len(text) < 80


def _has_blocks(node: LexborNode) -> bool:
    child = node.child
    while child is not None:
        if child.is_element_node and child.tag in _BLOCK_TAGS:
            return True
        child = child.next
    return False


def _walk(node: LexborNode, reading: Reading, in_note: bool, depth: int = 0) -> None:
    child = node.child
    while child is not None:
        if child.is_element_node:
            _element(child, reading, in_note, depth + 1)
        elif child.is_text_node and child.text(deep=False).strip() and node.tag == "div":
            reading.add("paragraph", child.text(deep=False))
        child = child.next


def _element(node: LexborNode, reading: Reading, in_note: bool, depth: int) -> None:
    tag, names = node.tag, _names(node)
    if tag in _DROP or _CHROME_NAME_RE.search(names):
        text = node.text(separator=" ", strip=True)
        if text:
            reading.clean("chrome", text, f"removed page furniture <{tag}>")
        return
    note = in_note or bool(_NOTE_NAME_RE.search(names)) or (
        tag == "li" and (node.attributes.get("id") or "").startswith("fn"))
    if tag == "img" or tag is None:
        return
    if _has_blocks(node) and tag not in ("figcaption", "caption") and depth < MAX_DEPTH:
        _walk(node, reading, note, depth)
        return
    text = re.sub(r"\s+", " ", _inline_text(node)).strip()
    if not text:
        return
    if _is_nav(node, text):
        reading.clean("chrome", text, "removed page navigation")
        return
    previous = reading.blocks[-1] if reading.blocks else None
    if tag in ("h1", "h2") or "chapter" in names.split():
        reading.add("heading", text)
    elif tag in ("h3", "h4", "h5", "h6"):
        reading.add("subheading", text)
    elif tag == "figcaption" or _CAPTION_NAME_RE.search(names):
        if previous and previous.text == text:
            reading.clean("duplicate-caption", text, "caption printed twice; kept once")
            return
        reading.add("caption", text)
    elif tag == "caption" or _FIGURE_NAME_RE.search(names):
        reading.add("figure", text)
    elif note and (m := _NOTE_START_RE.match(text)):
        number = next(g for g in m.groups() if g)
        reading.add("footnote", f"({number}) {text[m.end():]}")
    elif previous and previous.text == text and previous.kind in ("caption", "paragraph"):
        reading.clean("duplicate-caption", text, "caption printed twice; kept once")
    else:
        reading.add("paragraph", text)


def read_html(data: bytes, encoding: str | None = None) -> Reading:
    """The main text of the page in *data*: headings, paragraphs, notes, captions."""
    text, used = decode_html(data, encoding)
    tree = LexborHTMLParser(text)
    reading = Reading()
    if used not in ("utf-8", "utf8", "UTF-8"):
        reading.clean("encoding", used, f"decoded from {used}")
    title = tree.css_first("title")
    heads = " | ".join(n.text(strip=True) for n in tree.css("h1, h2, .chapter, .section")[:6])
    describe(reading, f"{title.text(strip=True) if title else ''}\n{heads}")
    if title is not None and title.text(strip=True):
        reading.title = re.sub(r"\s+", " ", title.text(strip=True))
    root = next((n for sel in _MAIN if (n := tree.css_first(sel)) is not None), None)
    if root is None:
        root = tree.body
    elif tree.body is not None and (rest := tree.body.text(separator=" ", strip=True)):
        kept = root.text(separator=" ", strip=True)
        if len(rest) > len(kept):
            reading.clean("chrome", rest.replace(kept, " … ", 1),
                          "kept only the page's main text; removed site menus and footers")
    if root is None:
        return reading
    _walk(root, reading, False)
    return reading


def page_links(data: bytes, base_url: str) -> list[str]:
    """The absolute targets of the page's links, in page order, without fragments."""
    from urllib.parse import urldefrag, urljoin

    text, _ = decode_html(data)
    out: list[str] = []
    for a in LexborHTMLParser(text).css("a[href]"):
        href = (a.attributes.get("href") or "").strip()
        if href and not href.startswith(("mailto:", "javascript:", "#")):
            out.append(urldefrag(urljoin(base_url, href))[0])
    return out
