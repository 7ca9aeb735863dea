"""Build a one-off catalogue from records or table rows, for spec tables."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import yaml

from catalogue_lib.catalogue import Catalogue, open_catalogue
from catalogue_lib.load import TABLE_HEADERS


def catalogue_of(tmp_path: Path, *records: dict[str, Any]) -> Catalogue:
    folder = tmp_path / "cat"
    folder.mkdir(exist_ok=True)
    for i, rec in enumerate(records):
        (folder / f"{i:03d}.yaml").write_text(yaml.safe_dump(rec, sort_keys=False))
    cat = open_catalogue([str(folder)])
    assert cat.result.errors == [], [str(p) for p in cat.result.errors]
    return cat


def table_catalogue(tmp_path: Path, *rows: dict[str, str]) -> Catalogue:
    head = "| " + " | ".join(TABLE_HEADERS) + " |\n|" + "---|" * len(TABLE_HEADERS) + "\n"
    body = "".join(
        "| " + " | ".join(row.get(h, "") for h in TABLE_HEADERS) + " |\n" for row in rows
    )
    (tmp_path / "table.md").write_text(head + body)
    cat = open_catalogue([str(tmp_path / "table.md")])
    assert cat.result.problems == [], [str(p) for p in cat.result.problems]
    return cat


def check_states(cat: Catalogue, as_of: dt.date) -> dict[tuple[str, str], str]:
    rows = cat.con.execute("SELECT * FROM check_results($a)", {"a": as_of}).fetchall()
    return {(i, c): s for i, c, s in rows}


def damage_garbage(path: Path) -> None:
    """A cache file overwritten by something that is no file of ours."""
    path.write_bytes(b"this is not a cache file at all" * 100)


def damage_truncate(path: Path) -> None:
    """A cache file cut short (a full disk, a copy stopped half way)."""
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 3])
