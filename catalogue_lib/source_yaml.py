"""YAML records: the fast path (yaml_fast.py) for plain files, else a safe, strict loader (libyaml
where available) with a fast constructor for plain documents."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import replace
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
    _too_deep_document,
)
from .yaml_lines import YamlLines, shift_error, shift_node


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
    may_nest = suspicious and _nests_past(text, MAX_DEPTH)
    if may_nest and (deep := _deep_problem(text, shown)) is not None:
        return [], [deep]
    loader = _Loader(text)
    started = 0  # the line (0-based) the loader's text starts at
    lines: YamlLines | None = None  # worked out at the first syntax error
    pending: tuple[int | None, Problem] | None = None  # a deep document the loader stops before
    resumed = 0  # times reading went on past a syntax error
    documents = 0
    try:
        while True:
            try:
                if not loader.check_node():
                    if pending is None:
                        break
                    # the documents before one nested too deep are read: it is skipped
                    resume, deep = pending
                    resumed += resume is not None
                    if resumed > MAX_RESUMES:  # as syntax errors: a handful in a real file
                        stop = "; too many syntax errors: the rest of the file is not read"
                        deep = replace(deep, message=deep.message.split("; ")[0] + stop)
                        resume = None
                    problems.append(deep)
                    if resume is None or lines is None:
                        break
                    loader.dispose()
                    loader, pending = _read_from(lines, resume, shown, may_nest)
                    started = resume
                    continue
                node = loader.get_node()
            except yaml.YAMLError as exc:
                lines = lines or YamlLines(text)
                shift_error(exc, started)
                message = _yaml_message(exc, text, lines)
                resume = lines.next_document(exc, after=started)
                resumed += resume is not None
                if resumed > MAX_RESUMES:  # a real file has a handful: the problems stay few
                    message += "; too many syntax errors: the rest of the file is not read"
                    resume = None
                elif resume is not None:
                    message += f"; this document is skipped, reading goes on at line {resume + 1}"
                problems.append(Problem(shown, lines.error_line(exc, resume), "error", message))
                if resume is None:
                    break
                # a syntax error stops libyaml for good: the documents after the broken one are
                # read by a new loader, from there on (its marks are moved to the file's lines)
                loader.dispose()
                loader, pending = _read_from(lines, resume, shown, may_nest)
                started = resume
                continue
            if node is None:
                continue
            if started:
                shift_node(node, started)
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
                lines = lines or YamlLines(text)
                message = _yaml_message(exc, text, lines)
                problems.append(Problem(shown, _mark_line(exc), "error", message))
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


def _read_from(
    lines: YamlLines, start: int, shown: str, may_nest: bool
) -> tuple[Any, tuple[int | None, Problem] | None]:
    """A loader reading on from line `start` (0-based) after a syntax error. The depth guard
    stopped at that error, so what follows is measured in turn before libyaml's composer
    (recursing in C) sees it: the loader stops before a document nested too deep, which is then
    skipped as a broken one is (the problem, and the line reading goes on at, come second)."""
    deep = _too_deep_document(lines.window(start)) if may_nest else None
    if deep is None:
        return _Loader(lines.window(start)), None
    begins, line = start + deep[0], start + deep[1]
    after = lines.document_from(line, after=begins)  # `line` (1-based) is the next one 0-based
    message = f"nesting is deeper than {MAX_DEPTH} levels"
    if after is not None:
        message += f"; this document is skipped, reading goes on at line {after + 1}"
    return _Loader(lines.window(start, begins)), (after, Problem(shown, line, "error", message))


def _deep_problem(text: str, shown: str) -> Problem | None:
    """Nesting past MAX_DEPTH up to the text's first syntax error, measured before libyaml's
    composer (which recurses in C) sees it."""
    deep_at = _too_deep(text)
    if deep_at is None:
        return None
    return Problem(shown, deep_at, "error", f"nesting is deeper than {MAX_DEPTH} levels")


def _yaml_message(
    exc: yaml.YAMLError, source: str | None = None, lines: YamlLines | None = None
) -> str:
    parts = [getattr(exc, "context", None), getattr(exc, "problem", None)]
    text = "; ".join(p for p in parts if p) or str(exc).splitlines()[0]
    if "could not determine a constructor" in text:
        text = "YAML tags that construct objects are not allowed: " + text
    if source is not None and _at_tab(exc, lines or YamlLines(source)):
        text += " (a tab: YAML indents with spaces only)"
    return f"invalid YAML: {text}"


def _at_tab(exc: yaml.YAMLError, lines: YamlLines) -> bool:
    """Whether the error points at a tab, which an editor shows as spaces: the usual cause of
    'found character that cannot start any token' in a hand-edited file."""
    mark = getattr(exc, "problem_mark", None)
    return mark is not None and lines.char_at(mark) == "\t"


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
