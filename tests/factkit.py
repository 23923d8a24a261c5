"""Helpers for fact-card tests: write small card folders with known line numbers."""

from __future__ import annotations

import shutil
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
FACTS = ROOT / "facts"

TOPICS = """\
topics:
  - id: alliance
    label: Japan-U.S. Alliance
    description: The alliance.
  - id: canada
    label: Japan and Canada
    description: Canada.
"""

# A card that passes every check; tests change one thing at a time.
GOOD = """\
  - id: {id}
    title: The United States is Japan's only ally
    body: The 2025 Bluebook states plainly that the United States is Japan's only ally.
    topics: [alliance]
    source:
      document: dbb2025-na
      quote: The United States (U.S.) is Japan's only ally.
"""

LINCHPIN = """\
  - id: linchpin-2010
    title: The linchpin of Japanese diplomacy
    body: The 2010 Bluebook calls the Japan-U.S. alliance the linchpin of Japanese diplomacy.
    topics: [alliance]
    source:
      document: dbb2010-na
      quote: the Japan-U.S. alliance is the linchpin of Japanese diplomacy
"""


def cards(*entries: str) -> str:
    return "cards:\n" + "".join(entries)


def write_facts(folder: Path, files: dict[str, str], topics: str | None = TOPICS) -> Path:
    """A facts folder with *files* (name -> YAML text) and a topics file."""
    folder.mkdir(parents=True, exist_ok=True)
    if topics is not None:
        (folder / "topics.yaml").write_text(topics, encoding="utf-8")
    for name, text in files.items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder


def copy_shipped(folder: Path) -> Path:
    shutil.copytree(FACTS, folder)
    return folder


def line_of(text: str, needle: str, nth: int = 1) -> int:
    """The 1-based line of the *nth* line of *text* containing *needle*."""
    hits = [i for i, line in enumerate(text.splitlines(), start=1) if needle in line]
    return hits[nth - 1]
