"""Plain-data views of core results: the CLI's JSON contract, also used by tests."""

from __future__ import annotations

from typing import Any

from bot.core.quotes.corpus import Passage
from bot.core.quotes.matching import QuoteResult, Span


def span_dict(span: Span) -> dict[str, Any]:
    p = span.passage
    return {"passage_id": p.id, "document_id": p.document_id, "citation": p.citation,
            "text": p.text, "start": span.start, "end": span.end, "quote": span.quote}


def quote_dict(result: QuoteResult) -> dict[str, Any]:
    """The ``quote --json`` object; its keys are a public contract."""
    return {
        "query": result.query,
        "found": result.found,
        "verdict": result.verdict,
        "score": result.score,
        "match": span_dict(result.match) if result.match else None,
        "alternatives": [{**span_dict(a), "score": a.score} for a in result.alternatives],
        "suggestions": list(result.suggestions),
        "diff": [op.as_dict() for op in result.diff],
        "misquote": result.misquote,
        "changed": [c.as_dict() for c in result.changed],
    }


def error_dict(query: str, message: str) -> dict[str, Any]:
    """A query that could not be looked up, in the ``quote --json`` shape (so a
    script reading JSON Lines finds every key), plus ``error``."""
    return {"query": query, "found": False, "verdict": "none", "score": 0.0, "match": None,
            "alternatives": [], "suggestions": [message], "diff": [], "misquote": False,
            "changed": [], "error": message}


def passage_dict(p: Passage) -> dict[str, Any]:
    return {"id": p.id, "document_id": p.document_id, "kind": p.kind, "section": p.section,
            "subsection": p.subsection, "number": p.number, "citation": p.citation,
            "text": p.text, "cites": list(p.cites), "cited_by": p.cited_by}
