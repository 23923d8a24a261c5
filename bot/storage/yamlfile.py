"""Read YAML safely and remember the line of every key, for error messages.

``yaml.safe_load`` gives values but forgets where they were; composing the node
tree first lets a validation error say "facts/alliance.yaml:14".

Content and config files are written by hand, so the reader is strict where
PyYAML is lenient or unbounded:

- **Aliases are refused** (``*name``). No hand-written card, manifest or config
  needs them, and they are how a 1 KB "billion laughs" file expands to gigabytes
  (the line map, like any walk of the data, visits every path through them), or
  to a cycle (``documents: &r [*r]``).
- **Nesting is bounded** (:data:`MAX_DEPTH`): composing is recursive, so a
  3,000-deep ``[[[[…`` would otherwise end in ``RecursionError``.
- **A key given twice in one mapping is an error**: PyYAML keeps the last one
  silently, so a card with two ``title:`` keys, or a config with ``daily:`` twice,
  would pass with one of them ignored.

Every such problem is a :class:`ContentError` naming the file and line.
"""

from __future__ import annotations

import stat
from pathlib import Path
from typing import Any

import yaml
from yaml.events import AliasEvent
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from bot.core.errors import ContentError, Loc, Problem
from bot.core.errors import format_loc as format_loc  # re-exported: moved to the core
from bot.core.errors import pydantic_problems as pydantic_problems

# Far deeper than any card, manifest or config (they nest four or five levels),
# far shallower than Python's recursion limit.
MAX_DEPTH = 64
MAX_INT_BITS = 1024
# Hundreds of times the shipped cards; parsing this much pure-Python YAML takes seconds.
MAX_BYTES = 4 * 1024 * 1024


class _Refused(Exception):
    """A construct this reader does not accept; carries the 1-based line."""

    def __init__(self, line: int, message: str) -> None:
        super().__init__(message)
        self.line, self.message = line, message


class _BoundedLoader(yaml.SafeLoader):
    """``SafeLoader`` that refuses aliases and bounds nesting while composing,
    before anything is expanded or constructed."""

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self._depth = 0

    def compose_node(self, parent: Node | None, index: Any) -> Node | None:
        if self.check_event(AliasEvent):
            event: Any = self.peek_event()  # type: ignore[no-untyped-call]
            raise _Refused(event.start_mark.line + 1,
                           f"YAML aliases (*{event.anchor}) are not allowed here; "
                           "write the value out in full")
        self._depth += 1
        try:
            if self._depth > MAX_DEPTH:
                deep: Any = self.peek_event()  # type: ignore[no-untyped-call]
                raise _Refused(deep.start_mark.line + 1,
                               f"nested more than {MAX_DEPTH} levels deep")
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1


    def construct_object(self, node: Node, deep: bool = False) -> Any:
        # PyYAML's constructors raise plain Python errors on values that match a
        # tag's pattern but not its range: a 5,000-digit int (int()'s digit limit),
        # the date 2001-13-45, "!!int x". Each becomes a problem at its line.
        try:
            value = super().construct_object(node, deep)
        except (ValueError, TypeError, AttributeError, OverflowError, KeyError,
                IndexError) as exc:
            reason = " ".join(str(exc).split())[:160] or type(exc).__name__
            raise _Refused(node.start_mark.line + 1, f"invalid value: {reason}") from None
        # A hex or sexagesimal int has no digit limit, but printing it later would
        # hit int()'s; no setting is anywhere near this big.
        if isinstance(value, int) and value.bit_length() > MAX_INT_BITS:
            raise _Refused(node.start_mark.line + 1, "number too large")
        return value


def _duplicate_keys(root: Node, name: str) -> list[Problem]:
    """Every key that appears twice in one mapping, at the line of its repeat."""
    problems: list[Problem] = []
    stack: list[tuple[Node, Loc]] = [(root, ())]
    while stack:  # iterative: depth is bounded, but no need to recurse at all
        node, loc = stack.pop()
        if isinstance(node, MappingNode):
            seen: dict[str, int] = {}
            for key, value in node.value:
                if isinstance(key, ScalarNode):
                    line = key.start_mark.line + 1
                    if key.value in seen:
                        where = format_loc((*loc, key.value))
                        problems.append(Problem(name, line, where,
                                                f"duplicate key (first given on line "
                                                f"{seen[key.value]}); give each key once"))
                    else:
                        seen[key.value] = line
                stack.append((value, (*loc, str(key.value))))
        elif isinstance(node, SequenceNode):
            stack.extend((item, (*loc, i)) for i, item in enumerate(node.value))
    return sorted(problems, key=lambda p: p.line or 0)


class LineMap:
    """Maps a key path such as ``("cards", 3, "title")`` to its 1-based line."""

    def __init__(self, root: Node | None) -> None:
        self._lines: dict[Loc, int] = {}
        if root is not None:
            self._walk(root, ())

    def _walk(self, node: Node, loc: Loc) -> None:
        self._lines[loc] = node.start_mark.line + 1
        if isinstance(node, MappingNode):
            for key, value in node.value:
                name = key.value if isinstance(key, ScalarNode) else str(key.value)
                # The first occurrence wins, so a problem points at the key a reader sees first.
                self._lines.setdefault((*loc, name), key.start_mark.line + 1)
                if not isinstance(value, ScalarNode):
                    self._walk(value, (*loc, name))
        elif isinstance(node, SequenceNode):
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
    loader = _BoundedLoader(text)
    try:
        root = loader.get_single_node()
        if root is not None:
            duplicates = _duplicate_keys(root, name)
            if duplicates:
                raise ContentError(duplicates)
        data = loader.construct_document(root) if root is not None else None
    except _Refused as exc:
        raise ContentError([Problem(name, exc.line, "", exc.message)]) from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark is not None else None
        reason = getattr(exc, "problem", None) or str(exc)
        raise ContentError([Problem(name, line, "", f"invalid YAML: {reason}")]) from exc
    finally:
        loader.dispose()
    return data, LineMap(root)


def read_yaml(path: Path) -> tuple[Any, LineMap]:
    """Read and parse the YAML file at *path*: a regular file (a FIFO or a device
    would block or never end) of at most :data:`MAX_BYTES`."""
    def refuse(message: str) -> ContentError:
        return ContentError([Problem(str(path), None, "", message)])

    try:
        info = path.stat()
        if not stat.S_ISREG(info.st_mode):
            raise refuse("cannot read: not a regular file")
        if info.st_size > MAX_BYTES:
            raise refuse(f"too large ({info.st_size:,} bytes; at most {MAX_BYTES:,})")
        with path.open("rb") as fh:
            raw = fh.read(MAX_BYTES + 1)
        if len(raw) > MAX_BYTES:  # grew since stat
            raise refuse(f"too large (over {MAX_BYTES:,} bytes)")
        text = raw.decode("utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise refuse(f"cannot read: {exc}") from exc
    return parse_yaml(text, str(path))
