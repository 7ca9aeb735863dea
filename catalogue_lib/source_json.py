"""JSON records: one record object or a list of them."""

from __future__ import annotations

import json
from typing import Any

import yaml

from .model import RawFloat, RawInt
from .records import LineMap, LoadedRecord, Problem, build_record
from .source_yaml import _PyLoader, _split_records
from .yaml_guards import _inspect_node

RECORD_MARKS = ("id", "partner")


def _looks_like_records(data: Any) -> bool:
    """False for JSON that is clearly no record: an object (or a list of only objects) with
    neither of the record's identifying keys. package.json, renovate.json or a JSON Schema
    beside the records are then skipped with a warning instead of failing validation."""
    items = data if isinstance(data, list) else [data]
    if not items or not all(isinstance(i, dict) for i in items):
        return True  # not objects: let the record checks say what is wrong
    return any(any(k in i for k in RECORD_MARKS) for i in items)


def _load_json(text: str, shown: str) -> tuple[list[LoadedRecord], list[Problem]]:
    if not text.strip():
        return [], [Problem(shown, None, "warning", "empty file: no record in it")]
    duplicates: list[str] = []

    def pairs(items: list[tuple[str, Any]]) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for k, v in items:
            if k in out:
                duplicates.append(k)
            out[k] = v
        return out

    try:
        # numbers keep the text they were written as (v1.1: a number where text is expected)
        data = json.loads(text, object_pairs_hook=pairs, parse_int=RawInt, parse_float=RawFloat)
    except json.JSONDecodeError as exc:
        return [], [Problem(shown, exc.lineno, "error", f"invalid JSON: {exc.msg}")]
    if duplicates:
        return [], [Problem(shown, None, "error", f"duplicate key '{duplicates[0]}' in JSON")]

    if not _looks_like_records(data):
        return [], [
            Problem(
                shown,
                None,
                "warning",
                "not a catalogue record (a JSON object with neither 'id' nor 'partner', such as "
                "a schema or a tool's settings); skipped",
            )
        ]

    def lines() -> LineMap:
        try:  # JSON is (nearly) YAML: borrow the YAML composer for line numbers, when needed
            node = yaml.compose(text, Loader=_PyLoader)
            return _inspect_node(node)[0] if node is not None else {}
        except Exception:
            return {}

    records: list[LoadedRecord] = []
    problems: list[Problem] = []
    first_line = 1
    for item, _, item_lines in _split_records(data, None, lines):
        rec, probs = build_record(item, shown, item_lines, "json", line=first_line)
        problems.extend(probs)
        if rec is not None:
            records.append(rec)
    return records, problems
