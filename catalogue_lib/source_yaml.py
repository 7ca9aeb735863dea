"""YAML records: the fast path (yaml_fast.py) for plain files, else a safe, strict loader (libyaml
where available) with a fast constructor for plain documents."""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Callable, Iterator
from functools import partial
from typing import Any

import yaml

from .model import RawFloat, RawInt
from .records import LineMap, LoadedRecord, Problem, _FileProblem, build_record
from .yaml_fast import fast_load
from .yaml_guards import (
    MAX_DEPTH,
    _inspect_node,
    _mark_line,
    _nests_past,
    _SafeBase,
    _suspicious,
    _too_deep,
)


class _StrictMappings:
    """Refuses a key that appears twice in one mapping (PyYAML would silently keep the last)."""

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict:
        mapping = super().construct_mapping(node, deep)  # type: ignore[misc]
        if len(mapping) == len(node.value):  # the common case costs one comparison
            return mapping
        if any(k.tag == "tag:yaml.org,2002:merge" for k, _ in node.value):
            return mapping  # keys brought in by a << merge may be overridden
        seen: dict[Any, int] = {}
        for key_node, _ in node.value:
            key = getattr(key_node, "value", None)
            if isinstance(key_node, yaml.ScalarNode) and key in seen:
                raise yaml.constructor.ConstructorError(
                    None,
                    None,
                    f"duplicate key '{key}' (also on line {seen[key]})",
                    key_node.start_mark,
                )
            seen[key] = key_node.start_mark.line + 1
        return mapping


def _no_timestamps(resolvers: dict) -> dict:
    return {
        ch: [(tag, rx) for tag, rx in rs if tag != "tag:yaml.org,2002:timestamp"]
        for ch, rs in resolvers.items()
    }


class _PyLoader(_StrictMappings, yaml.SafeLoader):
    """Pure-Python safe loader (bounded by Python's recursion limit): for suspicious input."""


_PyLoader.yaml_implicit_resolvers = _no_timestamps(yaml.SafeLoader.yaml_implicit_resolvers)


class _Loader(_StrictMappings, _SafeBase):  # type: ignore[misc,valid-type]
    """Safe loader that keeps dates as text (the model parses them strictly)."""

    # No path resolvers are registered, so the per-node bookkeeping PyYAML does for them is skipped.
    def descend_resolver(self, current_node: Any, current_index: Any) -> None:
        pass

    def ascend_resolver(self) -> None:
        pass

    def resolve(self, kind: type, value: Any, implicit: Any) -> str:
        if kind is yaml.ScalarNode:
            if implicit[0]:
                candidates = self.yaml_implicit_resolvers.get(value[:1] if value else "", [])
                for tag, regexp in candidates + self._anywhere:
                    if regexp.match(value):
                        return tag
            return self.DEFAULT_SCALAR_TAG
        if kind is yaml.SequenceNode:
            return self.DEFAULT_SEQUENCE_TAG
        return self.DEFAULT_MAPPING_TAG


_Loader.yaml_implicit_resolvers = _no_timestamps(yaml.SafeLoader.yaml_implicit_resolvers)
_Loader._anywhere = _Loader.yaml_implicit_resolvers.get(None, [])


def _raw_int(loader: Any, node: yaml.ScalarNode) -> Any:
    """An int that remembers the text it was written as (v1.1: numbers in text fields)."""
    return RawInt(node.value, yaml.constructor.SafeConstructor.construct_yaml_int(loader, node))


def _raw_float(loader: Any, node: yaml.ScalarNode) -> Any:
    return RawFloat(node.value, yaml.constructor.SafeConstructor.construct_yaml_float(loader, node))


for _cls in (_Loader, _PyLoader):
    _cls.add_constructor("tag:yaml.org,2002:int", _raw_int)
    _cls.add_constructor("tag:yaml.org,2002:float", _raw_float)


_STR = "tag:yaml.org,2002:str"
_MAP = "tag:yaml.org,2002:map"
_SEQ = "tag:yaml.org,2002:seq"
_SCALARS = {
    "tag:yaml.org,2002:null": lambda loader, node: None,
    "tag:yaml.org,2002:bool": yaml.constructor.SafeConstructor.construct_yaml_bool,
    "tag:yaml.org,2002:int": _raw_int,
    "tag:yaml.org,2002:float": _raw_float,
}


def _fast_construct(loader: Any, node: yaml.Node) -> Any:
    """Plain YAML (no anchors, no merge keys, no custom tags, shallow) to Python objects, several
    times faster than PyYAML's generic constructor. Anything else goes to the safe constructor."""
    if node.__class__ is yaml.ScalarNode:
        if node.tag == _STR:
            return node.value
        build = _SCALARS.get(node.tag)
        return build(loader, node) if build else loader.construct_document(node)
    if node.__class__ is yaml.MappingNode and node.tag == _MAP:
        out = {}
        for key_node, value_node in node.value:
            if (
                key_node.tag == "tag:yaml.org,2002:merge"
                or key_node.__class__ is not yaml.ScalarNode
            ):
                return loader.construct_document(node)
            out[_fast_construct(loader, key_node)] = _fast_construct(loader, value_node)
        if len(out) != len(node.value):
            return loader.construct_document(node)  # reports the duplicate key with its line
        return out
    if node.__class__ is yaml.SequenceNode and node.tag == _SEQ:
        return [_fast_construct(loader, v) for v in node.value]
    return loader.construct_document(node)


def _careful_lines(text: str) -> LineMap:
    """The line of every key path, from libyaml's composer (worked out only for a problem)."""
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
    finally:
        loader.dispose()
    return _inspect_node(node)[0] if node is not None else {}


def _load_yaml(
    text: str, shown: str, fast: bool = True
) -> tuple[list[LoadedRecord], list[Problem]]:
    """One YAML file's records and problems: by the fast path (yaml_fast.py) when it can vouch
    for the file, else by the careful one; both give the same records and problems."""
    plain = fast_load(text) if fast else None
    if plain is not None:
        data, line = plain
        try:
            rec, probs = build_record(data, shown, partial(_careful_lines, text), "yaml", line=line)
            return ([rec] if rec is not None else []), probs
        except yaml.YAMLError:  # libyaml disagrees with yaml-rs: the careful path says why
            pass
    records: list[LoadedRecord] = []
    problems: list[Problem] = []
    suspicious = _suspicious(text)
    if suspicious and _nests_past(text, MAX_DEPTH):
        deep_at = _too_deep(text)  # before libyaml's composer, which recurses in C
        if deep_at is not None:
            return [], [
                Problem(shown, deep_at, "error", f"nesting is deeper than {MAX_DEPTH} levels")
            ]
    loader = _Loader(text)
    started = 0  # the line (0-based) the loader's text starts at
    line_starts: list[int] | None = None  # each line's offset in text
    source_lines: list[str] | None = None  # text.splitlines(), once a syntax error needs them
    resumed = 0  # times reading went on past a syntax error
    documents = 0
    try:
        while True:
            try:
                if not loader.check_node():
                    break
                node = loader.get_node()
            except yaml.YAMLError as exc:
                if line_starts is None:  # worked out once, at a file's first syntax error
                    line_starts = [0, *(m.end() for m in re.finditer("\n", text))]
                    source_lines = text.splitlines()
                message = _yaml_message(exc, source_lines)
                resume = _next_document(text, line_starts, _mark_line(exc), after=started)
                resumed += resume is not None
                if resumed > MAX_RESUMES:  # each new start copies the text: bounded, not n^2
                    message += "; too many syntax errors: the rest of the file is not read"
                    resume = None
                elif resume is not None:
                    message += f"; this document is skipped, reading goes on at line {resume + 1}"
                problems.append(Problem(shown, _mark_line(exc), "error", message))
                if resume is None:
                    break
                # a syntax error stops libyaml for good: the documents after the broken one are
                # read by a new loader, over the text with the lines before them blanked (so
                # every line number stays the file's)
                loader.dispose()
                loader = _Loader("\n" * resume + text[line_starts[resume] :])
                started = resume
                continue
            if node is None:
                continue
            documents += 1
            if suspicious:
                try:
                    _inspect_node(node)  # alias bombs and deep nesting, before anything expands
                except _FileProblem as exc:
                    problems.append(Problem(shown, exc.line, "error", exc.message))
                    continue
            try:
                data = (
                    loader.construct_document if suspicious else partial(_fast_construct, loader)
                )(node)
            except yaml.YAMLError as exc:
                problems.append(
                    Problem(
                        shown, _mark_line(exc), "error", _yaml_message(exc, source_lines or text)
                    )
                )
                continue
            for item, line, item_lines in _split_records(data, node):
                rec, probs = build_record(item, shown, item_lines, "yaml", line=line)
                problems.extend(probs)
                if rec is not None:
                    records.append(rec)
    finally:
        loader.dispose()
    if documents == 0 and not problems:
        problems.append(Problem(shown, None, "warning", "empty file: no record in it"))
    return records, problems


MAX_RESUMES = 100  # syntax errors in one file that reading goes on past (see _load_yaml)
_DOCUMENT_START = re.compile(r"^---(?=[ \t\r]|$)", re.MULTILINE)


def _next_document(
    text: str, line_starts: list[int], error_line: int | None, after: int
) -> int | None:
    """The line (0-based) of the first document start (`---`) at or past a syntax error's line
    (1-based) and past `after`, the line reading last started at: where the next document begins
    once the broken one is given up. None when there is none, or the error has no line.
    line_starts: each line's offset in text."""
    if error_line is None:
        return None
    first = max(error_line - 1, after + 1)
    if first >= len(line_starts):
        return None
    found = _DOCUMENT_START.search(text, line_starts[first])
    return bisect_right(line_starts, found.start()) - 1 if found else None


def _yaml_message(exc: yaml.YAMLError, source: str | list[str] | None = None) -> str:
    """The error in words. source: the text, or its lines (text.splitlines(): a file with many
    errors splits its text once, not once an error)."""
    parts = [getattr(exc, "context", None), getattr(exc, "problem", None)]
    text = "; ".join(p for p in parts if p) or str(exc).splitlines()[0]
    if "could not determine a constructor" in text:
        text = "YAML tags that construct objects are not allowed: " + text
    if source is not None:
        lines = source.splitlines() if isinstance(source, str) else source
        if _at_tab(exc, lines):
            text += " (a tab: YAML indents with spaces only)"
    return f"invalid YAML: {text}"


def _at_tab(exc: yaml.YAMLError, lines: list[str]) -> bool:
    """Whether the error points at a tab, which an editor shows as spaces: the usual cause of
    'found character that cannot start any token' in a hand-edited file."""
    mark = getattr(exc, "problem_mark", None)
    if mark is None or not 0 <= mark.line < len(lines):
        return False
    return lines[mark.line][mark.column : mark.column + 1] == "\t"


def _split_records(
    data: Any, node: yaml.Node | None, lines: Callable[[], LineMap] | None = None
) -> Iterator[tuple[Any, int | None, Callable[[], LineMap]]]:
    """A document holds one record (a mapping) or a list of them: (record, line, line map)."""
    full = lines or (lambda: _inspect_node(node)[0] if node is not None else {})
    if isinstance(data, list) and not all(isinstance(item, dict) for item in data):
        kinds = sorted({type(item).__name__ for item in data if not isinstance(item, dict)})
        data = f"a list holding {', '.join(kinds)}"  # reported once, as not a record
    if isinstance(data, list):
        items = node.value if isinstance(node, yaml.SequenceNode) else []
        for i, item in enumerate(data):
            line = items[i].start_mark.line + 1 if i < len(items) else None

            def sub(i: int = i) -> LineMap:
                return {k[1:]: v for k, v in full().items() if k[:1] == (i,)}

            yield item, line, sub
    else:
        yield data, (node.start_mark.line + 1 if node is not None else 1), full
