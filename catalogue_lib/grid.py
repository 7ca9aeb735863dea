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
# a table's width in the page at 1,440 px, sidebar open (978 px measured), less a margin
ROOM_PX = 950
SELECT_PX = 36  # the row-selection column of a table whose rows open a record
MIN_TEXT_PX = 120  # a narrowed column keeps at least this much: three lines of a few words
HEADER_PX = 36  # the grid's header row
WRAP_ROW_PX = 66  # rows of three lines: the grid wraps text only in rows taller than 64 px
WRAP_LINES = 3
MAX_FLOOR_PX = 240  # the most a column may claim to show its longest cell in three lines


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
    shown: pd.DataFrame, selectable: bool = False, room: float = ROOM_PX
) -> dict[str, int]:
    """Widths in px for every column, or none where the grid's own sizing shows every cell whole
    and fits room. selectable: the table has a row-selection column.

    Each column wants the width of its longest cell (up to AUTO_MAX_PX): the grid sizes it by a
    sample, and cut the rest ("Link a runbook with first triage s..." in a column of dashes).
    Where those widths fit, they are set; where they do not, the widest text columns are
    narrowed to one cap, but none below the width that shows its longest cell in three lines
    (at most MAX_FLOOR_PX, at least MIN_TEXT_PX): a table of many such columns then scrolls
    sideways rather than cut what it says."""
    cols = list(shown.columns)
    sampled = {c: natural_width(shown[c], c) for c in cols}
    whole = {c: text_width(shown[c], c) for c in cols}
    extra = SELECT_PX if selectable else 0
    if all(whole[c] <= sampled[c] for c in cols) and sum(sampled.values()) + extra <= room:
        return {}
    natural = {c: min(AUTO_MAX_PX, max(whole[c], sampled[c])) for c in cols}
    total = sum(natural.values()) + extra
    if total <= room:
        return {c: int(w) for c, w in natural.items()}
    text = [c for c in cols if not pd.api.types.is_numeric_dtype(shown[c])]
    if not text:  # nothing to narrow: the grid's own sizing is as good as any
        return {}
    # no text column below the width that shows its longest cell in WRAP_LINES lines, up to
    # MAX_FLOOR_PX (nor below MIN_TEXT_PX): a sentence cut after its third line says less than
    # one scrolled to, but a paragraph may not push the rest of the table off the page
    floor = {
        c: min(natural[c], max(MIN_TEXT_PX, min(MAX_FLOOR_PX, _lines_width(whole[c]))))
        if c in text
        else natural[c]
        for c in cols
    }

    def width_at(cap: float) -> dict[str, float]:
        return {c: min(natural[c], max(floor[c], cap)) for c in cols}

    # the widest columns down to one cap, the largest at which the table still fits
    lo, hi = 0.0, float(AUTO_MAX_PX)
    for _ in range(40):
        mid = (lo + hi) / 2
        if sum(width_at(mid).values()) + extra <= room:
            lo = mid
        else:
            hi = mid
    # every column's width set, not only the narrowed ones': the grid's own measure differs from
    # this estimate (it looks at a sample of rows), and a sum it does not know cannot fit
    return {c: math.floor(w + 1e-6) for c, w in width_at(lo).items()}


def _lines_width(whole: float) -> int:
    """The width that shows a text of this one-line width in WRAP_LINES lines: half a line
    more, for the ends of lines that a word breaks early."""
    return math.ceil((whole - CELL_PX) / (WRAP_LINES - 0.5)) + CELL_PX


def wraps(shown: pd.DataFrame, widths: Mapping[str, float]) -> bool:
    """Whether a column is set narrower than its longest text (so its rows should wrap)."""
    return any(w < text_width(shown[c], c) for c, w in widths.items())


def box_height(rows: int, row_height: int, most: int = 10) -> int:
    """A table's height in px showing up to `most` rows of row_height, its header and border."""
    return HEADER_PX + min(max(rows, 1), most) * row_height + 2
