"""A chart's title fits a phone: Vega cuts a title wider than its chart off with an ellipsis, so
a long one is split into a title and a subtitle (at its parenthesis or colon) or two lines."""

from __future__ import annotations

import altair as alt
import pandas as pd
import pytest

from catalogue_lib import chart_style as charts


def _lines(title) -> list[str]:
    if isinstance(title, str):
        return [title]
    text = title.text if isinstance(title.text, list) else [title.text]
    sub = title.subtitle
    return [*text, *(sub if isinstance(sub, list) else [] if sub is alt.Undefined else [sub])]


@pytest.mark.parametrize(
    ("title", "lines"),
    [
        ("Share passing per owner", ["Share passing per owner"]),
        (
            "Share of the risk score per owner (15 highest; line: 30%)",
            ["Share of the risk score per owner", "15 highest; line: 30%"],
        ),
        (
            "Integrations in the heatmap: most gaps first, click one to open it",
            ["Integrations in the heatmap", "most gaps first, click one to open it"],
        ),
        (
            "Deadlines per month over the coming year by kind and by partner type",
            ["Deadlines per month over the coming year by", "kind and by partner type"],
        ),
    ],
)
def test_a_long_title_is_split_where_it_reads_naturally(title, lines):
    got = _lines(charts.fitting_title(title))
    assert got == lines
    assert all(len(line) <= charts.TITLE_FITS for line in got[:1])


def test_a_layered_chart_gets_its_first_layers_title_split():
    df = pd.DataFrame({"x": [1], "y": [2]})
    long = "A title far too long for a phone's width: with its detail"
    layered = alt.layer(alt.Chart(df, title=long).mark_point(), alt.Chart(df).mark_line())
    fitted = charts.fit_title(layered)
    assert _lines(fitted.layer[0].title) == [
        "A title far too long for a phone's width",
        "with its detail",
    ]
