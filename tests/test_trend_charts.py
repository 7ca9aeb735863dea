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


@pytest.mark.parametrize("owners", [1, 8, 9, 12, 24, 25, 200])
def test_every_owner_a_legend_names_has_a_line_of_its_own(owners):
    """The eight colour-blind-safe hues repeated from the ninth owner on: with the sample's 12
    owners, four pairs of lines looked the same. A repeated hue is now dashed (then dotted), so
    the owners a legend names (24) each have a colour and dash no other owner has."""
    chart = tc.by_group(
        _groups(owners), "share", "Owner", "t", share=True, as_of=dt.date(2026, 11, 29)
    )
    encoding = chart.to_dict()["layer"][0]["encoding"]
    color, dash = encoding["color"], encoding["strokeDash"]
    # one field and title for both channels: one legend, whose symbols show both
    assert color["field"] == dash["field"] == "group"
    assert color["title"] == dash["title"] == "Owner"
    assert (
        color["scale"]["domain"]
        == dash["scale"]["domain"]
        == sorted(_groups(owners)["group"].unique())
    )
    looks = list(zip(color["scale"]["range"], map(tuple, dash["scale"]["range"]), strict=True))
    named = looks[: tc.LEGEND_LIMIT]
    assert len(set(named)) == len(named) == min(owners, tc.LEGEND_LIMIT)
