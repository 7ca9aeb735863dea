"""The one way the catalogue writes CSV: every writer (export, backlog, the pages' download
buttons) goes through here, so no cell can start a spreadsheet formula (OWASP CSV injection).

defusedcsv (a drop-in for the csv module) prefixes a text cell that starts with = + - @ | %
with a `'` so a spreadsheet shows it as text, and leaves numbers alone; a cell starting with a
tab or carriage return (OWASP's other two) gets the same prefix here.
"""

from __future__ import annotations

import io
import math
from collections.abc import Iterable, Sequence
from typing import Any

import pandas as pd
from defusedcsv import csv as defused

from .source_table import MARKED


def _cell(value: Any) -> Any:
    if value is None or value is pd.NaT or value is pd.NA:  # pd.NA: a nullable column's gap
        return None
    if isinstance(value, float) and math.isnan(value):
        return None
    if hasattr(value, "item") and not isinstance(value, str):  # numpy scalars
        value = value.item()
    if isinstance(value, str):
        # a lone CR is not quoted by the csv module when rows end in LF: make it a newline
        value = value.replace("\r\n", "\n").replace("\r", "\n")
        if value[:1] in ("\t", "\n") or MARKED.match(value):
            # an apostrophe the author typed before a formula character gets one more, so that
            # reading the mark back (source_table.unmarked) gives the text as written
            return "'" + value
    return value


def write_csv(header: Sequence[str], rows: Iterable[Sequence[Any]]) -> str:
    buf = io.StringIO()
    writer = defused.writer(buf, lineterminator="\n")
    writer.writerow([_cell(h) for h in header])
    writer.writerows([_cell(v) for v in row] for row in rows)
    return buf.getvalue()


def dataframe_csv(df: pd.DataFrame) -> str:
    return write_csv([str(c) for c in df.columns], df.itertuples(index=False, name=None))
