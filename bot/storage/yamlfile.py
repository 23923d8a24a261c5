"""Read YAML safely and remember the line of every key, for error messages.

``yaml.safe_load`` gives values but forgets where they were; composing the node
tree as well lets a validation error say "facts/alliance.yaml:14".
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from bot.core.errors import ContentError, Loc, Problem
from bot.core.errors import format_loc as format_loc  # re-exported: moved to the core
from bot.core.errors import pydantic_problems as pydantic_problems


class LineMap:
    """Maps a key path such as ``("cards", 3, "title")`` to its 1-based line."""

    def __init__(self, root: yaml.Node | None) -> None:
        self._lines: dict[Loc, int] = {}
        if root is not None:
            self._walk(root, ())

    def _walk(self, node: yaml.Node, loc: Loc) -> None:
        self._lines[loc] = node.start_mark.line + 1
        if isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                name = key.value if isinstance(key, yaml.ScalarNode) else str(key.value)
                self._lines[(*loc, name)] = key.start_mark.line + 1
                if not isinstance(value, yaml.ScalarNode):
                    self._walk(value, (*loc, name))
        elif isinstance(node, yaml.SequenceNode):
            for i, item in enumerate(node.value):
                self._walk(item, (*loc, i))

    def line(self, loc: Loc) -> int | None:
        """The line of *loc*, or of its nearest enclosing key that has one."""
        for end in range(len(loc), -1, -1):
            found = self._lines.get(tuple(loc[:end]))
            if found is not None:
                return found
        return None


def parse_yaml(text: str, name: str) -> tuple[Any, LineMap]:
    """Parse *text* (named *name* in errors) into plain data and a line map."""
    try:
        data = yaml.safe_load(text)
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark is not None else None
        reason = getattr(exc, "problem", None) or str(exc)
        raise ContentError([Problem(name, line, "", f"invalid YAML: {reason}")]) from exc
    return data, LineMap(root)


def read_yaml(path: Path) -> tuple[Any, LineMap]:
    """Read and parse the YAML file at *path*."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ContentError([Problem(str(path), None, "", f"cannot read: {exc}")]) from exc
    return parse_yaml(text, str(path))
