"""How a table's columns share the page's width.

Streamlit's grid sizes each column to its longest cell, up to 500 px. A table with two columns of
sentences (the backlog's action and why, a risk's summary) was then twice as wide as the page:
the columns a reader scans a row by (criticality, kind) sat a thousand pixels to the right, out
of sight. fitted_widths() narrows the longest text columns until the table fits a laptop's page,
and the rows of such a table are made tall enough for their text to wrap over three lines; the
CSV has every cell whole.
"""

from __future__ import annotations

import math
from collections.abc import Mapping

import pandas as pd

# the grid's own sizing (glide-data-grid, as Streamlit 1.67 configures it), measured against it
# on 19 tables of three catalogues: within 100 px of the width it gives a whole table
CHAR_PX = 6.5  # a character's average width in a cell (14 px Source Sans)
HEADER_CHAR_PX = 6.7  # and in a header
CELL_PX = 16  # a cell's padding
MIN_PX, AUTO_MAX_PX = 50, 500  # the narrowest and the widest the grid sizes a column by itself
SAMPLE_ROWS = 10  # the grid sizes a column by its first 9 rows and its last
ROOM_PX = (
    950  # a table's width in the page at 1,440 px, sidebar open (978 px measured), less a margin
)
SELECT_PX = 36  # the row-selection column of a table whose rows open a record
MIN_TEXT_PX = 120  # a narrowed column keeps at least this much: three lines of a few words
HEADER_PX = 36  # the grid's header row
WRAP_ROW_PX = 66  # rows of three lines: the grid wraps text only in rows taller than 64 px


def natural_width(values: pd.Series, header: str) -> int:
    """The width the grid gives a column by itself: the longest of a sample of its cells (the
    first nine and the last; a cell twice the sample's average is left out) or its header."""
    cells = [len(str(v)) for v in values]
    if len(cells) > SAMPLE_ROWS:
        cells = cells[: SAMPLE_ROWS - 1] + cells[-1:]
    if len(cells) > 5:
        mean = sum(cells) / len(cells)
        cells = [c for c in cells if c < 2 * mean]
    longest = max([c * CHAR_PX for c in cells] + [len(header) * HEADER_CHAR_PX])
    return min(AUTO_MAX_PX, max(MIN_PX, math.ceil(longest + CELL_PX)))


def text_width(values: pd.Series, header: str) -> int:
    """The width a column needs to show every cell whole on one line (no cap, no sample)."""
    longest = max([len(str(v)) * CHAR_PX for v in values] + [len(header) * HEADER_CHAR_PX])
    return max(MIN_PX, math.ceil(longest + CELL_PX))


def fitted_widths(
    shown: pd.DataFrame,
    fixed: Mapping[str, float] | None = None,
    selectable: bool = False,
    room: float = ROOM_PX,
) -> dict[str, int]:
    """Widths in px for every column not in fixed, or none where the grid's own sizing shows
    every cell whole and fits room. fixed: the columns whose width is set already.

    Each column wants the width of its longest cell (up to AUTO_MAX_PX): the grid sizes it by a
    sample, and cut the rest ("Link a runbook with first triage s..." in a column of dashes).
    Where those widths fit, they are set; where they do not, the widest text columns share what
    the others leave, each narrowed to the same width, never below MIN_TEXT_PX (a table of many
    columns may then still scroll sideways)."""
    fixed = dict(fixed or {})
    cols = [c for c in shown.columns if c not in fixed]
    sampled = {c: natural_width(shown[c], c) for c in cols}
    whole = {c: text_width(shown[c], c) for c in cols}
    extra = sum(fixed.values()) + (SELECT_PX if selectable else 0)
    if all(whole[c] <= sampled[c] for c in cols) and sum(sampled.values()) + extra <= room:
        return {}
    natural = {c: min(AUTO_MAX_PX, max(whole[c], sampled[c])) for c in cols}
    total = sum(natural.values()) + extra
    if total <= room:
        return {c: int(w) for c, w in natural.items()}
    text = [c for c in natural if not pd.api.types.is_numeric_dtype(shown[c])]
    # the widest text columns down to one cap, widest first, until the rest fit beside them
    widest = sorted(text, key=lambda c: natural[c], reverse=True)
    if not widest:  # nothing to narrow: the grid's own sizing is as good as any
        return {}
    rest = total - sum(natural[c] for c in widest)
    capped, cap = widest, 0.0
    for n in range(1, len(widest) + 1):
        capped = widest[:n]
        cap = (room - rest - sum(natural[c] for c in widest[n:])) / n
        if n == len(widest) or cap >= natural[widest[n]]:
            break
    cap = max(cap, MIN_TEXT_PX)
    # every column's width set, not only the narrowed ones': the grid's own measure differs from
    # this estimate (it looks at a sample of rows), and a sum it does not know cannot fit
    return {c: int(min(w, cap) if c in capped else w) for c, w in natural.items()}


def wraps(shown: pd.DataFrame, widths: Mapping[str, float]) -> bool:
    """Whether a column is set narrower than its longest text (so its rows should wrap)."""
    return any(w < text_width(shown[c], c) for c, w in widths.items())


def box_height(rows: int, row_height: int, most: int = 10) -> int:
    """A table's height in px showing up to `most` rows of row_height, its header and border."""
    return HEADER_PX + min(max(rows, 1), most) * row_height + 2
