"""How a table's columns share the page (catalogue_lib/grid.py): the longest text columns are
narrowed until the table fits, every width then set (the grid's own measure is not ours); a
table that fits is left as the grid sizes it."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from catalogue_lib import grid


def _table(**columns: list) -> pd.DataFrame:
    return pd.DataFrame(columns)


def _total(shown: pd.DataFrame, widths: dict[str, int], selectable: bool = False) -> float:
    return sum(widths.values()) + (grid.SELECT_PX if selectable else 0)


def _narrowed(shown: pd.DataFrame, widths: dict[str, int]) -> dict[str, int]:
    return {c: w for c, w in widths.items() if w < grid.natural_width(shown[c], c)}


def test_a_table_that_fits_keeps_the_grids_own_widths() -> None:
    shown = _table(Integration=["Shopify Connector"], Owner=["Team Checkout"], Score=[12])
    assert grid.fitted_widths(shown) == {}


@pytest.mark.parametrize("selectable", [False, True])
@pytest.mark.parametrize("long_columns", [2])
def test_the_widest_text_columns_are_narrowed_alike_until_the_table_fits(
    selectable: bool, long_columns: int
) -> None:
    cols: dict[str, list] = {
        "Integration": ["Adobe Commerce Connector DE"] * 3,
        "Score": [36, 24, 1],
    }
    for i in range(long_columns):
        cols[f"Text {i}"] = ["a sentence that explains why this item ranks where it does " * 2] * 3
    shown = _table(**cols)
    widths = grid.fitted_widths(shown, selectable=selectable)
    assert set(widths) == set(shown.columns)  # every width set
    narrowed = _narrowed(shown, widths)
    assert {f"Text {i}" for i in range(long_columns)} <= set(narrowed)
    assert len(set(narrowed.values())) == 1  # narrowed alike, to one cap
    cap = next(iter(narrowed.values()))
    for col in set(shown.columns) - set(narrowed):  # the others were narrower than the cap
        assert widths[col] == int(grid.natural_width(shown[col], col)) <= cap
    assert _total(shown, widths, selectable) <= grid.ROOM_PX
    assert grid.wraps(shown, widths)


def test_numbers_are_never_narrowed() -> None:
    shown = _table(Integration=["x" * 80] * 2, Total=[10**14, 1], Why=["y" * 90] * 2)
    widths = grid.fitted_widths(shown, room=700)
    assert widths["Total"] == int(grid.natural_width(shown["Total"], "Total"))
    assert set(_narrowed(shown, widths)) == {"Integration", "Why"}
    assert _total(shown, widths) <= 700


@pytest.mark.parametrize("columns", [5, 12])
def test_no_column_is_narrowed_below_three_lines_of_its_longest_cell(columns: int) -> None:
    """Past that a sentence is cut after its third line: the table scrolls sideways instead."""
    text = "some long text in every cell " * 4
    shown = _table(**{f"Column {i}": [text] for i in range(columns)})
    widths = grid.fitted_widths(shown)
    three_lines = math.ceil((len(text) * grid.CHAR_PX) / (grid.WRAP_LINES - 0.5)) + grid.CELL_PX
    assert set(widths.values()) == {min(grid.MAX_FLOOR_PX, three_lines)}
    assert _total(shown, widths) > grid.ROOM_PX  # it does not fit, and says all it holds


def test_a_short_column_beside_long_ones_keeps_its_width() -> None:
    shown = _table(Action=["move off v1 before it stops working " * 4], Owner=["Team Returns"])
    widths = grid.fitted_widths(shown, room=500)
    owner = int(grid.natural_width(shown["Owner"], "Owner"))
    assert widths == {"Action": int(500 - owner), "Owner": owner}


def test_a_table_without_text_is_left_alone() -> None:
    shown = _table(**{f"n{i}": [10**12] for i in range(20)})
    assert grid.fitted_widths(shown) == {}


@pytest.mark.parametrize("rows", [0, 1, 10, 50])
def test_a_wrapped_tables_box_shows_up_to_ten_rows(rows: int) -> None:
    height = grid.box_height(rows, grid.WRAP_ROW_PX)
    assert height == grid.HEADER_PX + min(max(rows, 1), 10) * grid.WRAP_ROW_PX + 2


def test_a_column_is_sized_as_the_grid_sizes_it_by_its_first_nine_rows_and_its_last() -> None:
    short = ["Team Returns"] * 30
    late = pd.Series(short[:20] + ["a much longer owner name, far past the sample"] + short[21:])
    last = pd.Series(short[:-1] + ["a much longer owner name, far past the sample"])
    assert grid.natural_width(late, "Owner") == grid.natural_width(pd.Series(short), "Owner")
    # the last row is in the sample, but a cell twice the sample's average is left out, as the
    # grid leaves it; a sample of five or fewer keeps every cell
    assert grid.natural_width(last, "Owner") == grid.natural_width(pd.Series(short), "Owner")
    assert grid.natural_width(last[-3:], "Owner") > grid.natural_width(pd.Series(short), "Owner")


def test_a_long_cell_the_grids_sample_misses_gets_its_width_where_there_is_room() -> None:
    """A record's checks: "How to fix" is a dash for most rows, so the grid sized the column by
    the dashes and cut every fix after a few words."""
    fixes = ["—"] * 14
    fixes[4] = "Link a runbook with first triage steps in operations.runbook"
    shown = _table(Check=["Runbook"] * 14, State=["fail"] * 14, **{"How to fix": fixes})
    widths = grid.fitted_widths(shown)
    assert widths["How to fix"] >= grid.text_width(shown["How to fix"], "How to fix")
    assert widths["How to fix"] > grid.natural_width(shown["How to fix"], "How to fix")
    assert not grid.wraps(shown, widths)  # it fits on one line: rows stay one line tall


def test_where_whole_cells_do_not_fit_the_narrowed_text_wraps() -> None:
    shown = _table(
        Integration=["Adobe Commerce Connector"] * 12,
        Action=["x"] * 11 + ["move off v1 before it stops working, then retire it " * 3],
        Why=["high criticality (x3) x severity 3 x urgency 4: overdue by 120 days " * 2] * 12,
    )
    widths = grid.fitted_widths(shown)
    assert _total(shown, widths) <= grid.ROOM_PX
    assert grid.wraps(shown, widths)
