"""Fetch real English text no one here wrote: Debian's text packages.

Each package is fetched with ``apt-get download`` and unpacked with ``dpkg-deb -x``
(never installed), then cut into paragraphs. Each source yields plain paragraphs:
one string each, whitespace collapsed, in the order the source prints them.
"""

from __future__ import annotations

import gzip
import re
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

PACKAGES = ("bible-kjv", "bible-kjv-text", "dict-gcide", "dict-wn", "dict-foldoc",
            "jargon-text", "fortunes")
_SPACE = re.compile(r"\s+")
# gcide's provenance tags ("[1913 Webster]", "[AS]", "[PJC]") are markup, not text.
_BRACKET_LINE = re.compile(r"^\s*\[[^\]]{1,40}\]\s*$")
_B64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"


def fetch(data: Path) -> Path:
    """Download and unpack the packages into ``data/``; return the unpacked root."""
    debs, root = data / "debs", data / "extract"
    debs.mkdir(parents=True, exist_ok=True)
    for package in PACKAGES:
        if not any(debs.glob(f"{package}_*.deb")):
            print(f"apt-get download {package}")
            subprocess.run(["apt-get", "download", package], cwd=debs, check=True,
                           stdout=subprocess.DEVNULL)
    if not (root / ".done").exists():
        shutil.rmtree(root, ignore_errors=True)
        root.mkdir(parents=True)
        for deb in sorted(debs.glob("*.deb")):
            subprocess.run(["dpkg-deb", "-x", str(deb), str(root)], check=True)
        (root / ".done").write_text("ok\n")
    return root


def _flat(text: str) -> str:
    return _SPACE.sub(" ", text).strip()


def _b64(value: str) -> int:
    number = 0
    for ch in value:
        number = number * 64 + _B64.index(ch)
    return number


def dictd(root: Path, name: str) -> Iterator[str]:
    """Paragraphs of a dictd dictionary: each entry, cut at its blank lines."""
    body = gzip.decompress((root / f"usr/share/dictd/{name}.dict.dz").read_bytes())
    spans = set()
    for line in (root / f"usr/share/dictd/{name}.index").read_text("utf-8", "replace").splitlines():
        parts = line.split("\t")
        if len(parts) >= 3 and not parts[0].startswith("00-database"):
            spans.add((_b64(parts[1]), _b64(parts[2])))
    for offset, length in sorted(spans):
        entry = body[offset:offset + length].decode("utf-8", "replace")
        lines = [ln for ln in entry.splitlines() if not _BRACKET_LINE.match(ln)]
        for block in re.split(r"\n\s*\n", "\n".join(lines)):
            if flat := _flat(block):
                yield flat


def jargon(root: Path) -> Iterator[str]:
    text = gzip.decompress((root / "usr/share/doc/jargon-text/jargon.txt.gz").read_bytes()).decode(
        "utf-8", "replace")
    for block in re.split(r"\n\s*\n", text):
        if flat := _flat(block):
            yield flat


def fortunes(root: Path) -> Iterator[str]:
    folder = root / "usr/share/games/fortunes"
    for path in sorted(folder.iterdir()):
        if path.suffix or not path.is_file():
            continue  # .dat indexes and .u8 links
        for block in path.read_text("utf-8", "replace").split("\n%\n"):
            if flat := _flat(block):
                yield flat


def bible(root: Path) -> Iterator[str]:
    """The King James Bible, verses grouped into paragraphs of about 60 words.

    bible-kjv-text ships the text compressed in its own format; the ``bible``
    program from bible-kjv (unpacked, not installed) prints it."""
    program = root / "usr/bin/bible"
    try:
        out = subprocess.run([str(program), "-p", str(root / "usr/lib"), "gen1:1-rev22:21"],
                             check=True, capture_output=True, text=True).stdout
    except (OSError, subprocess.CalledProcessError) as exc:
        print(f"skipping the KJV: {exc}")
        return
    verse = re.compile(r"^\s+\d+\s+")
    chapter = re.compile(r"^(?:[1-3] )?[A-Z][A-Za-z ]+ \d+$")
    group: list[str] = []
    for line in out.splitlines():
        if not line.strip():
            continue
        if chapter.match(line):
            if group:  # a new chapter starts a new paragraph
                yield _flat(" ".join(group))
            group = []
        elif verse.match(line):
            if sum(len(g.split()) for g in group) >= 60:
                yield _flat(" ".join(group))
                group = []
            group.append(verse.sub("", line))
        elif group:
            group.append(line)  # a wrapped verse line
    if group:
        yield _flat(" ".join(group))


def all_sources(root: Path) -> dict[str, Iterator[str]]:
    return {
        "kjv": bible(root),
        "gcide": dictd(root, "gcide"),
        "wn": dictd(root, "wn"),
        "foldoc": dictd(root, "foldoc"),
        "jargon": jargon(root),
        "fortunes": fortunes(root),
    }
