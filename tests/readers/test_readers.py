"""The readers keep the author's words and drop everything else, saying what they dropped."""

from __future__ import annotations

from pathlib import Path

from bot.core.quotes.corpus import DocumentMeta
from bot.core.quotes.ingest import parse_document
from bot.readers.blocks import plain_text
from bot.readers.html import read_html
from bot.readers.pdf import read_pdf
from tests.readers.pages import SECTION_PAGE, write_pdf


def test_a_section_page_gives_its_main_text_only() -> None:
    reading = read_html(SECTION_PAGE.encode())
    text = plain_text(reading)
    assert (reading.edition, reading.chapter, reading.section) == (2025, "Ch. 2",
                                                                    "§3 North America")
    for chrome in ("Contents", "Back", "Page Top", "Text File", "Home", "not the text",
                   "margin", "Ministry of Foreign Affairs"):
        assert chrome not in text
    assert "The United States (U.S.) is Japan’s only ally." in text  # entity decoded
    assert "values & principles" in text
    assert text.count("Japan-Canada Summit Meeting") == 1
    kinds = {c[0] for c in reading.cleaning}
    assert {"chrome", "duplicate-caption"} <= kinds
    doc = parse_document(text, DocumentMeta(id="d", title="D"))
    by_kind = {p.kind: p for p in doc.passages}
    note = by_kind["footnote"]
    assert note.text == "(1) In this context, ship-to-ship transfers are transfers at sea."
    assert note.cited_by == "d.overview.p1"
    captions = [p.text for p in doc.passages if p.kind == "caption"]
    assert captions[0].startswith("Japan-Canada Summit Meeting")
    assert captions[1] == "Figure 1 Visits between Japan and Canada"
    p1 = doc.passages[[p.id for p in doc.passages].index("d.overview.p1")]
    assert p1.subsection == "Japan’s Diplomatic Relations with North America"


def test_a_pdf_is_read_in_order_without_running_heads(tmp_path: Path) -> None:
    reading = read_pdf(write_pdf(tmp_path / "s.pdf").read_bytes())
    text = plain_text(reading)
    assert "DIPLOMATIC BLUEBOOK" not in text
    assert "ship-to-ship transfers,(1) and they will continue" in text  # hyphen rejoined
    assert "The Japan-U.S. Alliance is the linchpin of Japan's diplomacy and it is strong." in text
    assert "\n(1) In this context, ship-to-ship transfers are transfers at sea.\n" in text
    left = text.index("The left column begins here and it goes on for a while before it stops")
    right = text.index("The right column is read after the left one, as a reader would read")
    assert left < right
    assert not any(line.strip().isdigit() for line in text.splitlines())  # page numbers
    assert reading.edition == 2025
    kinds = [c[0] for c in reading.cleaning]
    assert "hyphenation" in kinds and "running-header" in kinds
    doc = parse_document(text, DocumentMeta(id="d", title="D"))
    notes = [p for p in doc.passages if p.kind == "footnote"]
    assert len(notes) == 1 and notes[0].cited_by is not None


def test_hostile_pages_are_read_in_bounded_depth() -> None:
    deep = "<div>" * 5000 + "<p>Deep words here.</p>" + "</div>" * 5000
    assert "Deep words here." in plain_text(read_html(deep.encode()))
    nested = "<b>" * 5000 + "bold words" + "</b>" * 5000
    assert "bold words" in plain_text(read_html(f"<p>{nested}</p>".encode()))
    latin = "<html><head><meta charset='iso-8859-1'></head><body><p>Caf\xe9 talks.</p>"
    reading = read_html(latin.encode("latin-1"))
    assert "Café talks." in plain_text(reading)


def test_a_pdf_note_marked_with_a_star_is_linked_to_its_paragraph() -> None:
    import io

    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=A4)
    c.setFont("Helvetica", 10)
    c.drawString(72, 700, "Japan and Canada held talks,*1 and agreed to meet again.")
    c.drawString(72, 687, "The two leaders welcomed the progress made this year.")
    c.setFont("Helvetica", 7)
    c.drawString(72, 80, "*1 The talks were held in Tokyo.")
    c.showPage()
    c.save()
    doc = parse_document(plain_text(read_pdf(buf.getvalue())), DocumentMeta(id="d", title="D"))
    note = next(p for p in doc.passages if p.kind == "footnote")
    assert note.text == "(1) The talks were held in Tokyo."
    assert note.cited_by is not None and "talks,(1) and agreed" in next(
        p.text for p in doc.passages if p.id == note.cited_by)
