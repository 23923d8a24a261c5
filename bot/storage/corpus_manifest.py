"""Add or update one document's entry in a corpus folder's ``corpus.yaml``.

The loader (:mod:`bot.storage.corpus_files`) validates the file; this module
writes it, keeping the comment block at its top, in one atomic step.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from bot.core.errors import ContentError, Problem
from bot.storage.corpus_files import MANIFEST
from bot.storage.files import write_atomically
from bot.storage.yamlfile import read_yaml

_HEADER = ("# The corpus manifest: one entry per document (bluebook-bot import keeps it "
           "up to date).\n")


def read_entries(folder: Path) -> tuple[list[dict[str, Any]], str]:
    """The manifest's entries as plain dicts, and its leading comment block."""
    path = folder / MANIFEST
    if not path.exists():
        return [], _HEADER
    data, _ = read_yaml(path)
    text = path.read_text(encoding="utf-8")
    head_end = 0
    for line in text.splitlines(keepends=True):
        if not line.startswith("#"):
            break
        head_end += len(line)
    header = text[:head_end]
    entries = (data or {}).get("documents", []) if isinstance(data, dict) else None
    if not isinstance(entries, list) or not all(isinstance(e, dict) for e in entries):
        raise ContentError([Problem(str(path), None, "documents",
                                    "expected a list of documents; fix it before importing")])
    return entries, header


def write_entries(folder: Path, entries: list[dict[str, Any]], header: str) -> None:
    body = yaml.safe_dump({"documents": entries}, sort_keys=False, allow_unicode=True,
                          width=100)
    write_atomically(folder / MANIFEST, lambda fh: fh.write((header + body).encode("utf-8")))


def upsert(entries: list[dict[str, Any]], entry: dict[str, Any]) -> bool:
    """Put *entry* in *entries* in place of the one with its id (keeping fields the
    import does not set, such as ``period`` or ``credit``); True if it was there."""
    for i, old in enumerate(entries):
        if old.get("id") == entry["id"]:
            entries[i] = {**old, **{k: v for k, v in entry.items() if v is not None}}
            return True
    entries.append({k: v for k, v in entry.items() if v is not None})
    return False
