"""bluebook-bot import: files and URLs (a server the test starts on 127.0.0.1) into a corpus."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from bot.cli import main
from bot.fetching import http as fetching
from bot.storage.corpus_files import load_corpus
from tests.readers.pages import SECTION_PAGE, toc_page, write_pdf


@pytest.fixture(autouse=True)
def _quick(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setattr(fetching, "DELAY", 0.0)
    monkeypatch.setenv("BLUEBOOK_CACHE_DIR", str(tmp_path / "cache"))


class Site:
    def __init__(self) -> None:
        self.pages: dict[str, tuple[str, bytes]] = {}
        self.requests: list[tuple[str, str]] = []  # (path, User-Agent)
        self.url = ""


@pytest.fixture
def site() -> Iterator[Site]:
    state = Site()

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            state.requests.append((self.path, self.headers.get("User-Agent", "")))
            found = state.pages.get(self.path)
            if found is None:
                self.send_error(404)
                return
            self.send_response(200)
            self.send_header("Content-Type", found[0])
            self.end_headers()
            self.wfile.write(found[1])

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    state.url = f"http://127.0.0.1:{server.server_port}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield state
    server.shutdown()
    server.server_close()


def test_import_a_page_and_a_pdf_then_again_in_place(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    page = tmp_path / "c020303.html"
    page.write_text(SECTION_PAGE, encoding="utf-8")
    before = page.read_bytes()
    pdf = write_pdf(tmp_path / "ch2.pdf")
    corpus = tmp_path / "corpus"
    assert main(["import", str(page), str(pdf), "--corpus", str(corpus)]) == 0
    out = capsys.readouterr().out
    assert "wrote" in out and "cleaned [chrome]" in out and "cleaned [hyphenation]" in out
    assert page.read_bytes() == before  # the original is never modified
    loaded = load_corpus(corpus)
    doc = loaded.documents["dbb2025-3-north-america"]
    assert doc.meta.label == "Diplomatic Bluebook 2025, Ch. 2 §3 North America"
    ids = [p.id for p in doc.passages]
    assert "dbb2025-3-north-america.overview.p1" in ids
    assert any(c.kind == "chrome" for c in doc.cleaning)  # the reader's log, kept
    assert main(["import", str(page), "--corpus", str(corpus), "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["documents"][0]["updated"] is True
    again = load_corpus(corpus)
    assert [p.id for p in again.documents["dbb2025-3-north-america"].passages] == ids
    assert len(again.documents) == 2
    assert main(["check", "--corpus", str(corpus), "--facts", str(tmp_path / "f")]) == 2
    assert main(["corpus", "--corpus", str(corpus)]) == 0
    assert "import [running-header]" in capsys.readouterr().out


def test_bad_sources_exit_2_naming_them(tmp_path: Path,
                                        capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "blob.bin").write_bytes(b"\0\1\2" * 10)
    (tmp_path / "broken.pdf").write_bytes(b"%PDF-1.4 this is not really a pdf")
    code = main(["import", str(tmp_path / "missing.html"), str(tmp_path / "broken.pdf"),
                 "--corpus", str(tmp_path / "c")])
    err = capsys.readouterr().err
    assert code == 2
    assert "missing.html: no such file" in err and "broken.pdf: cannot read this pdf" in err


def test_crawl_a_table_of_contents_politely_and_resume_from_the_cache(
        site: Site, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    base = "/policy/other/bluebook/2025/en_html"
    for n in (1, 2):
        page = SECTION_PAGE.replace("Section 3 North America", f"Section {n} Region {n}")
        site.pages[f"{base}/chapter2/c02030{n}.html"] = ("text/html; charset=utf-8",
                                                         page.encode())
    site.pages[f"{base}/index.html"] = ("text/html", toc_page(
        ["chapter2/c020301.html", "chapter2/c020302.html", "chapter2/c020302.html#top",
         "chapter2/secret.html"]).encode())
    site.pages["/robots.txt"] = ("text/plain", b"User-agent: *\nDisallow: /policy/other/"
                                               b"bluebook/2025/en_html/chapter2/secret\n")
    corpus = tmp_path / "corpus"
    code = main(["import", f"{site.url}{base}/index.html", "--crawl", "--corpus", str(corpus)])
    captured = capsys.readouterr()
    assert code == 2  # the page robots.txt forbids is named, the rest imported
    assert "robots.txt disallows" in captured.err and "secret.html" in captured.err
    assert set(load_corpus(corpus).documents) == {"dbb2025-1-region-1", "dbb2025-2-region-2"}
    paths = [path for path, _ in site.requests]
    assert "/other/path.html" not in paths and all("elsewhere" not in p for p in paths)
    assert f"{base}/chapter2/secret.html" not in paths
    assert paths.count(f"{base}/chapter2/c020302.html") == 1
    assert all(agent.startswith("bluebook-bot/") for _, agent in site.requests)
    site.requests.clear()
    del site.pages[f"{base}/index.html"]  # an interrupted import resumes from the cache
    assert main(["import", f"{site.url}{base}/index.html", "--crawl", "--corpus",
                 str(corpus)]) == 2
    assert [p for p, _ in site.requests if p != "/robots.txt"] == []


def test_a_docx_is_not_imported_as_text(tmp_path: Path,
                                        capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "report.docx").write_bytes(b"PK\3\4\0\0word/document.xml\0\0")
    assert main(["import", str(tmp_path / "report.docx"), "--corpus", str(tmp_path / "c")]) == 2
    assert "report.docx: cannot import" in capsys.readouterr().err
