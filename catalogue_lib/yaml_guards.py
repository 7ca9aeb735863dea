"""Guards for YAML before it is composed: alias bombs, deep nesting, duplicate keys."""

from __future__ import annotations

import re
from typing import Any

import yaml

from .records import _FileProblem

MAX_NODES = 20_000  # expanded YAML nodes per document (aliases counted every time they are used)
MAX_DEPTH = 40

# libyaml's parser when PyYAML was built with it (the usual wheels are): parsing is the floor of
# the load time, and the C parser is ~10x the pure-Python one. Its composer recurses in C (a
# 100,000-deep document crashes the process), so input that may nest deeply is first measured
# on the event stream (see _too_deep).
_SafeBase = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


_ANCHOR_OR_ALIAS = re.compile(r"(?:^|[\s\[{,:-])[&*][^\s\[\]{},]", re.MULTILINE)


def _nests_past(text: str, limit: int) -> bool:
    """Whether the text may nest deeper than limit: flow brackets plus the deepest indent (a
    cheap upper bound, computed by C-speed string operations)."""
    brackets = text.count("[") + text.count("{")
    if brackets > limit:
        return True
    pattern = r"^[ \-?:\t]{" + str(limit - brackets + 1) + ",}"
    return re.search(pattern, text, re.MULTILINE) is not None


def _too_deep(text: str) -> int | None:
    """The line where the text first nests past MAX_DEPTH, read from libyaml's event stream
    (iterative, and stopped at once), or None. Syntax errors are left to the real parse."""
    found = _too_deep_document(text)
    return found[1] if found is not None else None


def _too_deep_document(text: Any) -> tuple[int, int] | None:
    """As _too_deep over a text or a stream, with the line (0-based) where the document nesting
    too deep starts: (its start, the line where it nests too deep), or None."""
    depth = 0
    start = 0
    try:
        for event in yaml.parse(text, Loader=_SafeBase):
            if isinstance(event, yaml.DocumentStartEvent):
                start = event.start_mark.line
            elif isinstance(event, yaml.CollectionStartEvent):
                depth += 1
                if depth > MAX_DEPTH:
                    return start, event.start_mark.line + 1
            elif isinstance(event, yaml.CollectionEndEvent):
                depth -= 1
    except yaml.YAMLError as exc:  # newer libyaml builds stop deep input themselves
        return (start, _mark_line(exc) or 1) if "nesting" in str(exc) else None
    return None


def _suspicious(text: str) -> bool:
    """True when the text may use aliases or nest past MAX_DEPTH: then every node is inspected."""
    if ("&" in text or "*" in text) and _ANCHOR_OR_ALIAS.search(text) is not None:
        return True
    return _nests_past(text, MAX_DEPTH)


def _mark_line(exc: yaml.YAMLError) -> int | None:
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    return mark.line + 1 if mark is not None else None


def _inspect_node(root: yaml.Node) -> tuple[dict[tuple, int], list[tuple[int, str]]]:
    """Line of every key path; refuses alias bombs, deep nesting and duplicate keys."""
    lines: dict[tuple, int] = {(): root.start_mark.line + 1}
    errors: list[tuple[int, str]] = []
    sizes: dict[int, int] = {}

    def size(node: yaml.Node, depth: int, active: set[int]) -> int:
        key = id(node)
        if key in sizes:
            return sizes[key]
        if depth > MAX_DEPTH:
            raise _FileProblem(
                f"nesting is deeper than {MAX_DEPTH} levels", node.start_mark.line + 1
            )
        if key in active:
            raise _FileProblem("recursive alias", node.start_mark.line + 1)
        active.add(key)
        total = 1
        if isinstance(node, yaml.MappingNode):
            for k, v in node.value:
                total += size(k, depth + 1, active) + size(v, depth + 1, active)
        elif isinstance(node, yaml.SequenceNode):
            for v in node.value:
                total += size(v, depth + 1, active)
        active.discard(key)
        if total > MAX_NODES:
            raise _FileProblem(
                f"document expands to more than {MAX_NODES:,} values (alias bomb?); refused",
                node.start_mark.line + 1,
            )
        sizes[key] = total
        return total

    size(root, 0, set())

    def walk(node: yaml.Node, path: tuple) -> None:
        if isinstance(node, yaml.MappingNode):
            seen: dict[Any, int] = {}
            for k, v in node.value:
                name = k.value if isinstance(k, yaml.ScalarNode) else None
                line = k.start_mark.line + 1
                if name is not None:
                    if name in seen:
                        where = ".".join(str(p) for p in (*path, name))
                        errors.append(
                            (line, f"duplicate key '{where}' (also on line {seen[name]})")
                        )
                    seen[name] = line
                    lines.setdefault((*path, name), line)
                    walk(v, (*path, name))
        elif isinstance(node, yaml.SequenceNode):
            for i, v in enumerate(node.value):
                lines.setdefault((*path, i), v.start_mark.line + 1)
                walk(v, (*path, i))

    walk(root, ())
    return lines, errors
