"""Test pages and PDFs written for these tests, in the ministry's layout, from the seeds' text."""

from __future__ import annotations

from pathlib import Path

SECTION_PAGE = """<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">
<title>Diplomatic Bluebook 2025 | Chapter 2 Section 3 North America</title>
<script>var menu = "<p>not the text</p>";</script><style>p { margin: 0 }</style></head>
<body><div id="header"><ul id="gnav"><li><a href="/">Home</a></li>
<li><a href="/policy/">Foreign Policy</a></li></ul></div>
<div id="breadcrumb"><a href="/">Home</a> &gt; Diplomatic Bluebook</div>
<div id="main">
<p class="nav"><a href="index.html">Contents</a> | <a href="c020302.html">Back</a> |
 <a href="c020304.html">Next</a></p>
<p class="chapter">Chapter 2 Japan&rsquo;s Foreign Policy by Region</p>
<h1>Section 3 North America</h1>
<h2>1 Overview</h2>
<h3>&lt;Japan&rsquo;s Diplomatic Relations with North America&gt;</h3>
<p>The United States (U.S.) is Japan&rsquo;s only ally. Japan and the U.S. have
worked together on ship-to-ship transfers,<sup>*1</sup> and will continue to do so.
<p>Japan and Canada are important partners that share fundamental values &amp; principles.</p>
<div class="photo"><img src="p1.jpg" alt="Leaders at the summit">
<p class="caption">Japan-Canada Summit Meeting (photo: Cabinet Public Relations Office)</p>
<p class="caption">Japan-Canada Summit Meeting (photo: Cabinet Public Relations Office)</p></div>
<p class="figure-title">Figure 1 Visits between Japan and Canada</p>
<div class="footnote"><p>*1 In this context, ship-to-ship transfers are transfers at sea.</p></div>
<p><a href="c020303.txt">Text File</a></p>
<p class="pagetop"><a href="#top">Page Top</a></p>
</div><div id="footer"><p>Ministry of Foreign Affairs of Japan</p></div></body></html>
"""


def toc_page(links: list[str]) -> str:
    items = "".join(f'<li><a href="{href}">Section {i}</a></li>'
                    for i, href in enumerate(links, 1))
    return (f"<html><head><title>Diplomatic Bluebook 2025</title></head><body>"
            f'<div id="main"><h1>Diplomatic Bluebook 2025</h1><ul>{items}</ul>'
            f'<p><a href="https://elsewhere.example/x.html">Elsewhere</a></p>'
            f'<p><a href="/other/path.html">Other path</a></p></div></body></html>')


def write_pdf(path: Path) -> Path:
    """A two-page PDF with a running header, page numbers, a hyphenated line end,
    a note at the foot of page 1, and two columns on page 2."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    c = canvas.Canvas(str(path), pagesize=A4)
    width, height = A4

    def chrome(number: int) -> None:
        c.setFont("Helvetica", 8)
        c.drawString(72, height - 40, "DIPLOMATIC BLUEBOOK 2025")
        c.drawString(width / 2, 30, str(number))

    chrome(1)
    c.setFont("Helvetica-Bold", 14)
    c.drawString(72, height - 90, "Section 3 North America")
    c.setFont("Helvetica", 10)
    y = height - 120
    for line in ("Japan and the U.S. have worked together on ship-to-ship trans-",
                 "fers,(1) and they will continue to do so in the region.", "",
                 "The Japan-", "U.S. Alliance is the linchpin of Japan's diplomacy and it is",
                 "strong."):
        if line:
            c.drawString(72, y, line)
        y -= 13 if line else 10
    c.setFont("Helvetica", 7)
    c.drawString(72, 70, "(1) In this context, ship-to-ship transfers are transfers at sea.")
    c.showPage()
    chrome(2)
    c.setFont("Helvetica", 10)
    for x, lines in ((72, ("The left column begins here and", "it goes on for a while before",
                           "it stops at the end.")),
                     (width / 2 + 10, ("The right column is read after", "the left one, as a "
                                       "reader would", "read it on the page."))):
        y = height - 90
        for line in lines:
            c.drawString(x, y, line)
            y -= 13
    c.showPage()
    c.save()
    return path
