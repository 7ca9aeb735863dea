"""Lines as libyaml counts them, and where the next document starts after a syntax error.

libyaml ends a line at \\r\\n, \\r, \\n, U+0085, U+2028 and U+2029, so its line numbers (every line
a record or problem names) are not the count of "\\n": reading must resume by its count, or a
document between the error and the wrong line is skipped without a word."""

from __future__ import annotations

import re
from bisect import bisect_right
from typing import Any

import yaml

_BREAK = re.compile("\r\n|[\r\n\x85\u2028\u2029]")
_DOCUMENT_START = re.compile("(?:^|(?<=[\r\n\x85\u2028\u2029]))---(?=[ \t\r\n\x85\u2028\u2029]|$)")


class YamlLines:
    """The offset where each of a text's lines starts, worked out once (linear)."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.starts = [0] + [m.end() for m in _BREAK.finditer(text)]

    def line_of(self, offset: int) -> int:
        """The line (0-based) holding a character offset."""
        return bisect_right(self.starts, offset) - 1

    def char_at(self, mark: yaml.Mark) -> str:
        """The character a libyaml mark points at ("" past a line's end or the text's)."""
        if not 0 <= mark.line < len(self.starts):
            return ""
        at = self.starts[mark.line] + mark.column
        end = self.starts[mark.line + 1] if mark.line + 1 < len(self.starts) else len(self.text)
        return self.text[at] if at < end else ""

    def next_document(self, exc: yaml.YAMLError, after: int) -> int | None:
        """The line (0-based) where reading goes on past a syntax error: the first document start
        (`---`) at or past the error, and past `after`, the line reading last started at. An
        error at a marker's first column belongs to the document before it (the marker cut it
        short); one further along belongs to the document that marker starts. None when there
        is no document start after the broken one, or the error has no line."""
        mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
        if mark is None:
            return None
        return self.document_from(mark.line + (1 if mark.column > 0 else 0), after)

    def error_line(self, exc: yaml.YAMLError, resume: int | None) -> int | None:
        """The line (1-based) to name for a syntax error. libyaml notices an unclosed bracket or
        quote only where the next document's marker (or the end of the text) cuts it short, a
        line outside the broken document: then the line where the unclosed part began (the
        error's context), else the document's last line with text on it."""
        mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
        if mark is None:
            return None
        at_end = mark.line >= len(self.starts) - 1 and self.starts[-1] == len(self.text)
        if mark.column > 0 or not (mark.line == resume or at_end):
            return mark.line + 1
        context = getattr(exc, "context_mark", None)
        if context is not None and context.line < mark.line:
            return context.line + 1
        line = mark.line - 1
        while line > 0 and not self.text[self.starts[line] : self.starts[line + 1]].strip():
            line -= 1
        return max(line, 0) + 1

    def document_from(self, line: int, after: int) -> int | None:
        """The line (0-based) of the first document start at or past `line` and past `after`."""
        first = max(line, after + 1)
        if first >= len(self.starts):
            return None
        found = _DOCUMENT_START.search(self.text, self.starts[first])
        return self.line_of(found.start()) if found else None

    def window(self, start: int, end: int | None = None) -> Window:
        """Lines `start` to `end` (not included; None: to the end) as a stream: a loader over it
        costs what it reads, not the rest of the text, and counts its lines from `start`."""
        stop = self.starts[end] if end is not None else len(self.text)
        return Window(self.text, self.starts[start], stop)


class Window:
    """Part of a text, read in chunks as a file is."""

    def __init__(self, text: str, begin: int, end: int) -> None:
        self.text, self.at, self.end = text, begin, end

    def read(self, size: int = -1) -> str:
        stop = self.end if size < 0 else min(self.end, self.at + size)
        chunk, self.at = self.text[self.at : stop], stop
        return chunk


def _moved(mark: Any, lines: int) -> Any:
    """A mark `lines` further down (libyaml's own marks cannot be changed)."""
    if mark is None:
        return None
    return yaml.Mark(mark.name, mark.index, mark.line + lines, mark.column, None, None)


def shift_node(root: yaml.Node, lines: int) -> None:
    """Moves the marks of every node read from a Window by the lines before the window."""
    seen: set[int] = set()
    todo: list[Any] = [root]
    while todo:
        node = todo.pop()
        if id(node) in seen:
            continue
        seen.add(id(node))
        node.start_mark = _moved(node.start_mark, lines)
        node.end_mark = _moved(node.end_mark, lines)
        if isinstance(node, yaml.MappingNode):
            todo.extend(part for pair in node.value for part in pair)
        elif isinstance(node, yaml.SequenceNode):
            todo.extend(node.value)


def shift_error(exc: yaml.YAMLError, lines: int) -> None:
    """Moves a syntax error's marks as shift_node a node's."""
    for name in ("problem_mark", "context_mark"):
        if getattr(exc, name, None) is not None:
            setattr(exc, name, _moved(getattr(exc, name), lines))
