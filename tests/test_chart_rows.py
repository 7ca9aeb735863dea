"""Charts with one row per integration (version matrix, check heatmap, deadline timeline) give
every integration a row of its own: names are display text and two integrations may share one;
only the id is unique (record-format.md)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import altair as alt
import pytest

from catalogue_lib import charts, lifecycle_charts
from catalogue_lib.filters import Filters

from .helpers import catalogue_of

AS_OF = dt.date(2026, 11, 28)


def shopify(id_: str, owner: str, version: str, sunset: str) -> dict:
    return {
        "id": id_,
        "name": "Shopify",  # the same display name for both integrations
        "type": "shop",
        "partner": "Shopify",
        "direction": ["inbound"],
        "owner": owner,
        "lifecycle": {"versions": [{"version": version, "status": "current", "sunset_on": sunset}]},
    }


def _rows_of(chart: alt.TopLevelMixin) -> dict[str, set[str]]:
    """Which integration ids each y-axis row of the chart draws."""
    spec = chart.to_dict()

    def y_field(node: object) -> str | None:
        if isinstance(node, dict):
            enc = node.get("encoding", {})
            if isinstance(enc, dict) and isinstance(enc.get("y"), dict) and "field" in enc["y"]:
                return enc["y"]["field"]
            for v in node.values():
                found = y_field(v)
                if found:
                    return found
        if isinstance(node, list):
            for v in node:
                found = y_field(v)
                if found:
                    return found
        return None

    field = y_field(spec)
    rows: dict[str, set[str]] = {}
    for data in spec.get("datasets", {}).values():
        for r in data:
            if field in r and "integration_id" in r:
                rows.setdefault(r[field], set()).add(r["integration_id"])
    return rows


CHARTS: dict[str, Callable] = {
    "version matrix": lambda cat, p: lifecycle_charts.version_matrix(
        cat.query("version_matrix", limit=30, **p), "t"
    ),
    "check heatmap": lambda cat, p: charts.check_heatmap(
        cat.query("check_matrix", limit=30, **p), "t"
    ),
    "deadline timeline": lambda cat, p: lifecycle_charts.timeline(
        cat.query("timeline_upcoming", horizon=365, limit=25, **p), "t", AS_OF, False, 365
    ),
}


@pytest.mark.parametrize("chart", list(CHARTS))
def test_two_integrations_with_the_same_name_get_a_row_each(tmp_path, chart):
    cat = catalogue_of(
        tmp_path,
        shopify("shopify-orders", "Team A", "2026-10", "2027-01-10"),
        shopify("shopify-webhooks", "Team B", "2025-07", "2026-12-10"),
    )
    rows = _rows_of(CHARTS[chart](cat, {**Filters().sql_params(), "as_of": AS_OF}))
    assert sorted(map(sorted, rows.values())) == [["shopify-orders"], ["shopify-webhooks"]]
    assert all("Shopify" in label for label in rows)


def test_a_name_no_other_integration_has_stays_as_it_is(tmp_path):
    cat = catalogue_of(tmp_path, shopify("shopify-orders", "Team A", "2026-10", "2027-01-10"))
    p = {**Filters().sql_params(), "as_of": AS_OF}
    assert set(_rows_of(CHARTS["version matrix"](cat, p))) == {"Shopify"}
