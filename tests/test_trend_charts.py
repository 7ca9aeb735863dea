"""The Trends page's charts keep room for their lines, however long their legend."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from catalogue_lib import trend_charts as tc


def _groups(n: int) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "date": pd.to_datetime(["2026-10-01", "2026-11-01"] * n),
            "group": [f"Team {i:03d}" for i in range(n) for _ in range(2)],
            "share": [0.5, 0.6] * n,
        }
    )


@pytest.mark.parametrize("owners", [1, 4, 5, 12, 24, 25, 200])
def test_a_long_owner_legend_adds_height_instead_of_squeezing_the_lines(owners):
    """With 12 owners the legend's three rows took the lines' room: they were drawn in about
    70 px. Each legend row now adds its own height, and a legend names at most 24 owners (it
    says how many more; the tooltip names every line), so the chart stays bounded."""
    chart = tc.by_group(
        _groups(owners), "share", "Owner", "t", share=True, as_of=dt.date(2026, 11, 29)
    )
    shown = min(owners, tc.LEGEND_LIMIT)
    rows = -(-shown // tc.LEGEND_COLUMNS) + 1  # the owners' rows and the legend's title
    assert chart.height >= tc.HEIGHT + rows * 24  # a row of 13 px labels and their padding
    assert chart.height <= tc.HEIGHT + (tc.LEGEND_LIMIT // tc.LEGEND_COLUMNS + 1) * 30 + 30
    legend = chart.to_dict()["layer"][0]["encoding"]["color"]["legend"]
    assert legend["symbolLimit"] == tc.LEGEND_LIMIT
