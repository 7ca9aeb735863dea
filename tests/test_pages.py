"""Every page says the date its numbers use, every headline figure is the CLI's, every record opens."""

from __future__ import annotations

import datetime as dt
import json
import re
from typing import Any

import pandas as pd
import pyarrow as pa
import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from catalogue_lib.catalogue import open_catalogue, summary
from catalogue_lib.cli import main

from .conftest import CATALOGUE, ROOT, SEED_COPY
from .test_app import APP, PAGES, go, metric, no_exception

ALL_PAGES = ["app.py", *PAGES]


def fresh(monkeypatch, catalogue) -> AppTest:
    monkeypatch.setenv("CATALOGUE_PATH", str(catalogue))
    st.cache_resource.clear()
    st.cache_data.clear()
    return AppTest.from_file(APP, default_timeout=60)


def caption_date(at: AppTest) -> str:
    return at.caption[0].value


@pytest.mark.parametrize("page", ALL_PAGES)
def test_caption_names_the_date_from_the_link_and_then_the_one_picked(monkeypatch, page):
    at = fresh(monkeypatch, CATALOGUE)
    at.query_params["as_of"] = "2027-06-01"
    at.run()
    if page != "app.py":
        go(at, page)
    no_exception(at)
    assert "As of **2027-06-01**" in caption_date(at)
    at.date_input(key="f_as_of").set_value(dt.date(2027, 1, 15)).run()
    assert "As of **2027-01-15**" in caption_date(at)  # the same run, not one interaction later
    assert at.query_params["as_of"] == "2027-01-15"


def cli_figures(capsys, *args: str) -> dict:
    assert main(["figures", str(CATALOGUE), "--as-of", "2026-11-28", *args]) == 0
    return json.loads(capsys.readouterr().out)


FILTERS = [
    ({}, []),
    ({"type": "carrier"}, ["--type", "carrier"]),
    ({"owner": "Team Alpha"}, ["--owner", "Team Alpha"]),
    ({"criticality": "high"}, ["--criticality", "high"]),
]


def delta(at: AppTest, label: str) -> str:
    return next(m.proto.delta for m in at.metric if m.label == label)


def n(value: int) -> str:
    return f"{value:,}"


@pytest.mark.parametrize(("query", "args"), FILTERS, ids=["none", "type", "owner", "criticality"])
def test_headline_figures_are_the_cli_figures_for_the_same_filters(
    monkeypatch, capsys, query, args
):
    want = cli_figures(capsys, *args)
    at = fresh(monkeypatch, CATALOGUE)
    at.query_params["as_of"] = "2026-11-28"
    for key, value in query.items():
        at.query_params[key] = value
    at.run()
    home = want["home"]
    assert metric(at, "Integrations") == n(home["integrations"])
    assert metric(at, "Passing the must-haves") == f"{home['must_have_share']:.0%}"
    assert metric(at, f"At {home['second_level']} or above") == (
        f"{home['at_second_level_or_above_share']:.0%}"
    )
    assert metric(at, "Overdue deadlines") == n(home["overdue"])
    assert metric(at, "Due in the next 30 days") == n(home["due_30"])
    assert metric(at, "Breaking changes without a plan") == n(home["breaking_without_plan"])
    assert metric(at, "High risks") == n(home["high_risks"])
    assert metric(at, "Incidents, last 90 days") == n(home["incidents_90d"])

    cov = want["coverage"]
    go(at, "pages/1_Coverage.py")
    assert metric(at, "Gaps") == n(cov["gaps"])
    assert metric(at, "Integrations with a gap") == n(cov["integrations_with_gaps"])
    assert delta(at, "Integrations with a gap") == f"of {cov['active']:,} active"
    assert metric(at, "Unknown") == n(cov["unknown"])
    assert metric(at, "Waived") == n(cov["waived"])

    dep = want["deprecations"]
    go(at, "pages/3_Deprecations.py")
    assert metric(at, "Overdue") == n(dep["overdue"])
    assert metric(at, "Due in 90 days") == n(dep["upcoming"])
    assert metric(at, "Breaking changes without a plan") == n(dep["breaking_without_plan"])

    back = want["backlog"]
    go(at, "pages/7_Backlog.py")
    assert metric(at, "Work items") == n(back["items"])
    assert metric(at, "Overdue") == n(back["overdue"])
    assert metric(at, "Breaking changes without a plan") == n(back["breaking_without_plan"])
    assert metric(at, "Check gaps") == n(back["gaps"]) == n(cov["gaps"])

    risk = want["risk"]
    go(at, "pages/4_Risk.py")
    assert metric(at, "Risk score") == n(risk["risk_score"])
    assert metric(at, "High risks") == n(risk["high_risks"]) == n(home["high_risks"])
    assert metric(at, "Owners over 30% of the risk") == n(risk["owners_over_30"])
    assert metric(at, "Incidents, last 90 days") == n(risk["incidents_90d"])


def test_pages_agree_with_each_other(capsys):
    figs = cli_figures(capsys)
    assert figs["backlog"]["gaps"] == figs["coverage"]["gaps"]
    assert (
        figs["home"]["breaking_without_plan"]
        == figs["deprecations"]["breaking_without_plan"]
        == figs["backlog"]["breaking_without_plan"]
    )
    assert figs["home"]["overdue"] == figs["deprecations"]["overdue"] == figs["backlog"]["overdue"]
    assert figs["home"]["high_risks"] == figs["risk"]["high_risks"] == figs["backlog"]["high_risks"]


def test_the_list_behind_high_risks_has_as_many_rows(monkeypatch):
    at = fresh(monkeypatch, CATALOGUE)
    at.query_params["as_of"] = "2026-11-28"
    at.run()
    high = metric(at, "High risks")
    go(at, "pages/4_Risk.py")
    table = next(d.value for d in at.dataframe if "Likelihood" in d.value.columns)
    assert n(len(table)) == high


@pytest.mark.parametrize("source", ["sample", "template", "fixture"])
def test_every_record_page_renders(monkeypatch, source):
    catalogue = {"sample": ROOT / "data", "template": SEED_COPY, "fixture": CATALOGUE}[source]
    at = fresh(monkeypatch, catalogue)
    at.run()
    go(at, "pages/5_Integration.py")
    listing = at.dataframe[0].value
    cat = open_catalogue([str(catalogue)])
    ids = [r.id for r in cat.result.records]
    levels = summary(cat, dt.date.today())["levels"]  # lower-case level names, None below them
    retired = {
        i
        for (i,) in cat.con.execute(
            "SELECT id FROM integrations WHERE stage = 'retired'"
        ).fetchall()
    }
    assert len(listing) == min(len(ids), 50)  # the list's first page
    for rid in ids:
        at.query_params["id"] = rid
        at.run()
        no_exception(at)
        assert at.header, rid
        want = ("retired" if rid in retired else levels[rid] or "no level").capitalize()
        assert metric(at, "Scorecard level").capitalize() == want, rid  # "No level", not "none"
        if rid in retired:  # out of the checks: no next level to reach, no empty list of needs
            assert not [s.value for s in at.subheader if s.value.endswith(" needs")], rid
            assert "Retired: out of the checks." in [c.value for c in at.caption], rid
        text = " ".join(m.value for m in at.markdown)
        assert "NaT" not in text and "None" not in text, rid
        # an auth method in words (API key, mTLS), never the record's token
        assert not re.search(r"\b(api_key|mtls|oauth)\b", text), rid
        for table in at.dataframe:  # what happens at a sunset, only beside a sunset date
            v = table.value
            if "On sunset" in v.columns:
                no_sunset = v["Sunset"].fillna("—") == "—"
                assert (v.loc[no_sunset, "On sunset"].fillna("—") == "—").all(), rid


def test_the_integration_page_opens_on_a_sortable_list(monkeypatch):
    at = fresh(monkeypatch, CATALOGUE)
    at.run()
    go(at, "pages/5_Integration.py")
    listing = at.dataframe[0].value
    assert len(listing) == 6 and listing["Integration"].is_monotonic_increasing
    at.segmented_control(key="sort").set_value("risk").run()
    listing = at.dataframe[0].value
    scores = [int(str(v).replace(",", "")) if v != "—" else -1 for v in listing["Risk score"]]
    assert scores == sorted(scores, reverse=True)


def test_owner_concentration_is_not_called_out_on_a_tiny_catalogue(monkeypatch):
    at = fresh(monkeypatch, SEED_COPY)  # four rows, two owners: someone always holds a third
    at.run()
    go(at, "pages/4_Risk.py")
    no_exception(at)
    assert not at.warning
    assert (
        metric(at, "Owners over 30% of the risk") == "0"
    )  # the headline does not call it out either


def test_a_link_to_the_rows_behind_a_figure_opens_them(monkeypatch):
    at = fresh(monkeypatch, CATALOGUE)
    at.query_params["as_of"] = "2026-11-28"
    at.query_params["kind"] = "overdue"
    at.run()
    go(at, "pages/7_Backlog.py")
    every = at.dataframe[0].value
    assert len(every) == int(metric(at, "Overdue")) > 0
    assert at.selectbox(key="kind").value == "overdue"  # one kind: the list needs no kind column
    assert "Kind" not in every.columns
    assert every["Why it ranks here"].str.contains("overdue by").all()
    at.query_params["horizon"] = "30"
    go(at, "pages/3_Deprecations.py")
    assert at.segmented_control(key="horizon").value == 30
    assert metric(at, "Due in 30 days") == "0"


def test_home_shows_each_headline_figures_change_over_30_days_from_git(monkeypatch):
    at = fresh(monkeypatch, ROOT / "data")  # the sample's own git history is real history
    at.run()
    no_exception(at)
    # under its tile, on a line of its own (beside the target it was cut off at 1440 px)
    changes = {
        col.metric[0].label: [c.value for c in col.caption] for col in at.columns if col.metric
    }
    for label in ("Integrations", "Passing the must-haves", "Overdue deadlines"):
        assert len(changes[label]) == 1 and changes[label][0].endswith("in 30 days"), (
            label,
            changes[label],
        )
    assert not any(m.proto.delta_description for m in at.metric)


def test_a_page_level_choice_shows_its_default_when_the_link_has_none(monkeypatch):
    at = fresh(monkeypatch, CATALOGUE)
    at.run()
    go(at, "pages/3_Deprecations.py")
    assert at.segmented_control(key="horizon").value == 90  # shown selected, not only used
    go(at, "pages/7_Backlog.py")
    assert at.selectbox(key="kind").value == "all"


def test_deprecation_tables_name_the_integration_first_and_its_date_once(monkeypatch):
    at = fresh(monkeypatch, ROOT / "data")
    at.query_params["as_of"] = "2026-11-28"
    at.query_params["horizon"] = "365"
    at.run()
    go(at, "pages/3_Deprecations.py")
    no_exception(at)
    tables = [d.value for d in at.dataframe if "Kind" in d.value.columns]
    assert len(tables) == 2  # overdue, and everything within the horizon
    for table in tables:
        shown = [c for c in table.columns if c != "Status"]  # overdue or upcoming, first if shown
        assert list(table.columns[: len(table.columns) - len(shown)]) in ([], ["Status"])
        assert shown[:3] == ["Integration", "Due", "Days left"]
        assert "Date" not in table.columns and "Written as" not in table.columns
    every = tables[1]
    assert any(str(v).endswith("(approximate)") for v in every["Due"])  # a quarter stays a quarter


# --------------------------------------------------------------------------- every chart, every page


def _chart_specs(at: AppTest) -> list[dict]:
    found: list = []

    def walk(node) -> None:
        for child in getattr(node, "children", {}).values():
            if getattr(child, "type", "") == "vega_lite_chart":
                found.append(json.loads(child.proto.spec))
            walk(child)

    walk(at._tree)
    return found


def _parts(spec: dict):
    yield spec
    for key in ("layer", "hconcat", "vconcat", "concat"):
        for sub in spec.get(key) or []:
            yield from _parts(sub)


def _mark(part: dict) -> str | None:
    mark = part.get("mark")
    return mark.get("type") if isinstance(mark, dict) else mark


def _colour_scales(spec: dict) -> list[tuple[str, list, list]]:
    """(field, domain, range) of every colour scale with explicit colours."""
    out = []
    for part in _parts(spec):
        color = (part.get("encoding") or {}).get("color") or {}
        scale = color.get("scale") or {}
        if isinstance(scale.get("range"), list):
            out.append((color.get("field"), scale.get("domain") or [], scale["range"]))
    return out


def _every_page_chart(monkeypatch) -> list[tuple[str, dict]]:
    at = fresh(monkeypatch, ROOT / "data")  # the sample: git history, initiatives, every chart
    at.query_params["as_of"] = "2026-11-28"
    at.run()
    charts = []
    for page in ALL_PAGES:
        if page != "app.py":
            go(at, page)
        no_exception(at)
        charts += [(page, spec) for spec in _chart_specs(at)]
    return charts


def test_every_time_axis_has_a_rule_at_the_as_of_date_and_levels_look_alike(monkeypatch):
    charts = _every_page_chart(monkeypatch)
    timed = [
        (page, spec)
        for page, spec in charts
        if any(
            ((p.get("encoding") or {}).get("x") or {}).get("type") == "temporal"
            for p in _parts(spec)
        )
    ]
    assert {page for page, _ in timed} >= {
        "app.py",
        "pages/3_Deprecations.py",
        "pages/8_Trends.py",
        "pages/9_Initiatives.py",
    }
    for page, spec in timed:
        rules = [p for p in _parts(spec) if _mark(p) == "rule"]
        assert rules, (page, spec.get("title"))

    # one word and one colour per level on every page (home, Coverage, Trends)
    from catalogue_lib.charts import LEVEL_COLORS

    level_scales = [
        (page, dict(zip(domain, colours, strict=True)))
        for page, spec in charts
        for field, domain, colours in _colour_scales(spec)
        if field == "level"
    ]
    assert {page for page, _ in level_scales} >= {"app.py", "pages/8_Trends.py"}
    for page, mapping in level_scales:
        assert "No level" in mapping and "none" not in mapping, page
        for level, colour in mapping.items():
            if level in LEVEL_COLORS:
                assert colour == LEVEL_COLORS[level], (page, level)


def _hue(colour: str) -> tuple[float, float]:
    import colorsys

    r, g, b = (int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5))
    h, _, s = colorsys.rgb_to_hls(r, g, b)
    return h * 360, s


def _default_palettes(spec: dict) -> list[str]:
    """Fields coloured by category with the library's default palette (red and green among
    its hues) instead of colours of our own."""
    out = []
    for part in _parts(spec):
        color = (part.get("encoding") or {}).get("color") or {}
        scale = color.get("scale") or {}
        if color.get("type") == "nominal" and not (scale.get("range") or scale.get("scheme")):
            out.append(str(color.get("field")))
    return out


def test_no_chart_sets_red_against_green(monkeypatch):
    for page, spec in _every_page_chart(monkeypatch):
        assert not _default_palettes(spec), (page, _default_palettes(spec))
        for field, _, colours in _colour_scales(spec):
            hues = [_hue(c) for c in colours if isinstance(c, str) and c.startswith("#")]
            red = any((h >= 345 or h <= 12) and s > 0.35 for h, s in hues)
            green = any(85 <= h <= 160 and s > 0.35 for h, s in hues)
            assert not (red and green), (page, field, colours)


def test_trends_and_initiatives_speak_in_titles_not_codes(monkeypatch):
    import re

    code = re.compile(r"\b[a-z]+_[a-z_]+\b")  # reviewed_recently, alert_rules, named_owner
    at = fresh(monkeypatch, ROOT / "data")
    at.run()
    go(at, "pages/8_Trends.py")
    no_exception(at)
    changes = next(d.value for d in at.dataframe if "Detail" in d.value.columns)
    assert len(changes)
    assert not [v for v in changes["Detail"] if code.search(str(v))]
    levels = changes.loc[changes["Change"] == "level", "Detail"]
    assert len(levels) and all(re.fullmatch(r"[A-Z][a-z ]+ → [A-Z][a-z ]+", v) for v in levels)
    # the changes' colours: blue better, orange worse, grey unchanged (never red against green)
    from streamlit.proto.Metric_pb2 import Metric

    colours = {m.label: Metric.MetricColor.Name(m.proto.color) for m in at.metric}
    assert len(colours) == 4 and set(colours.values()) <= {"BLUE", "ORANGE", "GRAY"}, colours
    go(at, "pages/9_Initiatives.py")
    no_exception(at)
    short = [d.value for d in at.dataframe if "Needs" in d.value.columns]
    assert short and all(not code.search(str(v)) for t in short for v in t["Needs"])
    assert all(list(t.columns[:2]) == ["Integration", "Owner"] for t in short)  # no id column
    clickable = [
        c for c in at.caption if c.value == "Click an integration's name to open its record."
    ]
    assert len(clickable) == len(short)
    targets = [c.value for c in at.caption if c.value.startswith("Target:")]
    assert targets and not [t for t in targets if re.search(r"Target: (silver|gold|bronze)\b", t)]


@pytest.mark.parametrize("source", ["sample", "generated-300"])
def test_equal_backlog_scores_are_ordered_by_due_day_then_criticality_then_name(
    tmp_path, capsys, source
):
    from catalogue_lib import generate

    catalogue = ROOT / "data"
    if source != "sample":
        catalogue = tmp_path / "generated"
        generate.write_records(generate.synthetic_records(300, 7), catalogue)
    assert main(["backlog", str(catalogue), "--as-of", "2026-11-28", "--format", "json"]) == 0
    items = json.loads(capsys.readouterr().out)["items"]
    weight = {"high": 3, "medium": 2, "low": 1}

    def key(item: dict) -> tuple:
        due = item["due_by"] or item["due"]
        return (
            -item["score"],
            due is None,
            due or "",
            -weight.get(item["criticality"] or "", 2),
            item["name"],
        )

    ties = sum(a["score"] == b["score"] for a, b in zip(items, items[1:], strict=False))
    assert ties > 10  # the rule is exercised, not vacuous
    assert [key(i) for i in items] == sorted(key(i) for i in items)


def test_every_table_naming_integrations_opens_them_on_a_click(monkeypatch):
    at = fresh(monkeypatch, ROOT / "data")
    at.run()
    seen = set()
    for page in PAGES:
        go(at, page)
        no_exception(at)
        for table in at.dataframe:
            if "Integration" in table.value.columns:
                seen.add(page)
                assert list(table.proto.selection_mode), (page, list(table.value.columns))
    assert len(seen) >= 8  # every page that lists integrations, Trends and Initiatives included


def test_a_newcomer_can_follow_the_readme_and_keeps_the_theme_switch():
    import re
    import tomllib

    from catalogue_lib.ui import NAV

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "python3 -m venv .venv" in readme and "Python 3.11 or newer" in readme
    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    assert config["server"]["headless"] is True
    assert "opens no\nwindow" in readme or "opens no window" in readme  # it does not say "opens"
    # "minimal" hides the main menu, and with it Settings, the light / dark theme switch
    assert config["client"].get("toolbarMode", "auto") != "minimal"
    section = readme.split("## The dashboard", 1)[1].split("\n## ", 1)[0]
    listed = re.findall(r"^\| \*\*(.+?)\*\*", section, flags=re.M)
    assert listed == [label for _, label in NAV]  # every page, in the sidebar's order
    words = {10: "ten", 9: "nine", 11: "eleven"}
    assert f"serves {words[len(NAV)]} pages" in section


def _texts(at: AppTest) -> str:
    """Every caption, markdown and chart data text on the page."""
    parts = [c.value for c in at.caption] + [m.value for m in at.markdown]
    found: list = []

    def walk(node) -> None:
        for child in getattr(node, "children", {}).values():
            if getattr(child, "type", "") == "vega_lite_chart":
                found.append(child.proto.spec)
                found.extend(d.data.data.decode("utf-8", "replace") for d in child.proto.datasets)
            walk(child)

    walk(at._tree)
    return "\n".join(parts + found)


@pytest.mark.parametrize("search", ["", "no-such-integration-anywhere"])
def test_an_empty_view_blames_the_filters_only_when_one_is_set(monkeypatch, search):
    at = fresh(monkeypatch, SEED_COPY)  # the template's four rows: many views are empty
    if search:
        at.query_params["q"] = search
    at.run()
    said = []
    for page in ALL_PAGES:
        if page != "app.py":
            go(at, page)
        no_exception(at)
        said.append("these filters" in _texts(at))
    assert any(said) if search else not any(said), said


def test_trends_of_a_catalogue_outside_git_count_one_snapshot_in_words(monkeypatch, tmp_path):
    import shutil

    shutil.copytree(ROOT / "data", tmp_path / "catalogue")  # no .git: today's snapshot only
    at = fresh(monkeypatch, tmp_path / "catalogue")
    at.run()
    go(at, "pages/8_Trends.py")
    no_exception(at)
    assert any(c.value.startswith("1 snapshot, ") for c in at.caption)
    axes = [
        ((p.get("encoding") or {}).get("y") or {}).get("axis") or {}
        for spec in _chart_specs(at)
        for p in _parts(spec)
    ]
    formats = {a.get("format") for a in axes if a.get("format")}
    assert formats and formats <= {",d", ".0%"}, formats  # 65,134, never 65134


def test_severity_is_one_hue_darker_the_more_severe(monkeypatch):
    """Incidents drew sev4 in light blue, the colour that means passing on every other chart.
    Every severity scale is now one orange, darker the more severe (unknown: grey)."""
    import colorsys

    def lightness(colour: str) -> float:
        r, g, b = (int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5))
        return colorsys.rgb_to_hls(r, g, b)[1]

    scales = [
        (page, dict(zip(domain, colours, strict=True)))
        for page, spec in _every_page_chart(monkeypatch)
        for field, domain, colours in _colour_scales(spec)
        if field == "severity"
    ]
    assert "pages/4_Risk.py" in {page for page, _ in scales}
    for page, mapping in scales:
        ranked = [
            mapping[s] for s in ("sev1", "sev2", "sev3", "sev4", "error", "warning") if s in mapping
        ]
        assert len(ranked) >= 2, (page, mapping)
        for colour in ranked:
            hue, saturation = _hue(colour)
            assert 15 <= hue <= 40 and saturation > 0.5, (page, colour)  # orange, never blue
        assert [lightness(c) for c in ranked] == sorted(lightness(c) for c in ranked), page


def test_owner_shares_show_one_decimal_in_every_row(monkeypatch):
    """The owners table showed 9.4% beside 9.55% (Streamlit's "percent" trims zeros): a share
    is now shown in percent to one decimal in every row, its CSV still the fraction."""
    from catalogue_lib.catalogue import open_catalogue

    at = fresh(monkeypatch, ROOT / "data")
    at.run()
    go(at, "pages/4_Risk.py")
    no_exception(at)
    owners = next(d for d in at.dataframe if "Share of risk" in d.value.columns)
    from catalogue_lib.filters import Filters

    cat = open_catalogue([str(ROOT / "data")])
    expected = cat.query("owner_risk", **Filters().sql_params()).head(len(owners.value))
    assert owners.value["Share of risk"].tolist() == pytest.approx(
        (expected["risk_share"] * 100).tolist()
    )
    config = owners.proto.columns
    assert "%.1f%%" in config and "percent" not in config


def _charts_with_data(at: AppTest) -> list[tuple[dict, list[pd.DataFrame]]]:
    """Every chart's spec with the data frames Streamlit sends beside it."""
    found: list = []

    def walk(node) -> None:
        for child in getattr(node, "children", {}).values():
            if getattr(child, "type", "") == "vega_lite_chart":
                frames = [
                    pa.ipc.open_stream(d.data.data).read_all().to_pandas()
                    for d in child.proto.datasets
                ]
                if child.proto.data.data:
                    frames.append(pa.ipc.open_stream(child.proto.data.data).read_all().to_pandas())
                found.append((json.loads(child.proto.spec), frames))
            walk(child)

    walk(at._tree)
    return found


def _bars_of_nothing(spec: dict, frames: list[pd.DataFrame]) -> bool:
    """A bar chart whose every bar has length 0: an empty frame that says nothing."""
    measured = {
        enc["field"]
        for p in _parts(spec)
        if _mark(p) in ("bar", "rect")
        for key, enc in (p.get("encoding") or {}).items()
        if key in ("x", "y") and enc.get("type") == "quantitative" and "field" in enc
    }
    values = [f[c].to_numpy() for f in frames for c in measured if c in f.columns]
    return bool(measured) and not any(v.any() for v in values)


MINIMAL = {"id": "m", "name": "Minimal", "type": "shop", "partner": "P", "direction": ["inbound"]}


@pytest.mark.parametrize("view", ["no match", "one record without risks"])
def test_a_view_with_nothing_to_judge_shows_no_verdict_and_no_empty_chart(
    monkeypatch, tmp_path, view
):
    if view == "no match":
        at = fresh(monkeypatch, CATALOGUE)
        at.query_params["q"] = "no-such-integration-anywhere"
    else:
        (tmp_path / "m.json").write_text(json.dumps(MINIMAL))
        at = fresh(monkeypatch, tmp_path)
    at.run()
    if view == "no match":  # a share of no integrations is no share, and neither on nor off target
        for label in ("Passing the must-haves", "At Silver or above"):
            assert metric(at, label) == "—", label
            assert "target ·" not in delta(at, label), label
    for page in ALL_PAGES:
        if page != "app.py":
            go(at, page)
        no_exception(at)
        titles = [
            json.dumps(s.get("title")) for s, d in _charts_with_data(at) if _bars_of_nothing(s, d)
        ]
        assert titles == [], page


# the one-page record's field beside the check that reads it
FIELD_CHECKS = {
    "Dashboard": "Dashboard",
    "Alert rules": "Alert rules",
    "Runbook": "Runbook",
    "On-call": "On-call",
    "SLO targets": "SLO defined",
    "Idempotency": "Idempotency",
    "Webhooks": "Webhook signatures",
    "Migration plan": "Migration plan",
    "Test environment": "Test environment",
    "Criticality": "Criticality set",
    "Reviewed on": "Reviewed recently",
}


def _list_captions(at: AppTest) -> dict[str, str]:
    """The record page's sections (subheaders) and the caption said under each, in page order."""
    shown: dict[str, str] = {}
    section = ""

    def walk(node: Any) -> None:
        nonlocal section
        kids = getattr(node, "children", None)
        if isinstance(kids, dict):
            for k in sorted(kids):
                walk(kids[k])
        elif node.type == "subheader":
            section = node.value
        elif node.type == "caption" and section and section not in shown:
            shown[section] = node.value

    walk(at.main)
    return shown


def _record_fields(at: AppTest) -> dict[str, str]:
    fields = {}
    for m in at.markdown:
        for line in m.value.splitlines():
            if line.startswith("- **") and ":** " in line:
                label, text = line[4:].split(":** ", 1)
                fields[label] = text
    return fields


BAD_VALUES = {  # v1.1: the record loads without each value, and the checks reading it are unknown
    **MINIMAL,
    "direction": ["inbound", "outbound"],
    "criticality": "urgent",
    "reviewed_on": "2026-13-01",
    "operations": {"runbook": "wiki/runbook", "dashboard": "grafana-123"},
    "lifecycle": {"test_environment": {"kind": "sandboxy"}},
    "contract": {"webhooks": {"signature_verification": "perhaps"}},
}


TABLE_SILENT_SECTIONS = {"Deadlines", "Planned changes", "Incidents"}


@pytest.mark.parametrize("source", ["template", "csv export", "sample", "bad values"])
def test_a_dash_on_a_record_never_stands_beside_a_check_that_is_unknown_or_passes(
    monkeypatch, tmp_path, capsys, source
):
    """A dash means missing; a fact the source could not state, or stated in a way that could
    not be read, is shown as unknown."""
    if source == "csv export":
        assert main(["export", str(ROOT / "data"), "--format", "csv"]) == 0
        (tmp_path / "catalogue.csv").write_text(capsys.readouterr().out)
        catalogue = tmp_path
    elif source == "bad values":
        (tmp_path / "bad.json").write_text(json.dumps(BAD_VALUES))
        catalogue = tmp_path
    else:
        catalogue = SEED_COPY if source == "template" else ROOT / "data"
    at = fresh(monkeypatch, catalogue)
    at.run()
    go(at, "pages/5_Integration.py")
    wrong = []
    forms = {r.id: r.form for r in open_catalogue([str(catalogue)]).result.records}
    for rid in forms:
        at.query_params["id"] = rid
        at.run()
        no_exception(at)
        fields = _record_fields(at)
        checks = next(d.value for d in at.dataframe if "Weight" in d.value.columns)
        states = dict(zip(checks["Check"], checks["State"], strict=True))
        wrong += [
            (rid, label, states[check])
            for label, check in FIELD_CHECKS.items()
            if fields[label] == "—" and states.get(check) in ("unknown", "pass")
        ]
        tile = metric(at, "Criticality")  # the headline figure says what the field below says
        if states["Criticality set"] == "unknown" and tile != "unknown":
            wrong.append((rid, "Criticality tile", tile))
        # a table row states no dates, changes or incidents: an empty list of them is unknown
        table_row = forms[rid] in ("markdown", "csv")
        for section, said in _list_captions(at).items():
            unknown = said.startswith("Unknown")
            if unknown != (table_row and section in TABLE_SILENT_SECTIONS):
                wrong.append((rid, section, said))
    assert wrong == []


def test_every_chart_title_fits_a_phone(monkeypatch):
    """Vega cuts a title wider than its chart off with an ellipsis: at 390 px a chart holds
    44 to 47 characters of title (the browser test measures it), so a longer title goes on as a
    title and a subtitle."""
    too_long = []
    for page, spec in _every_page_chart(monkeypatch):
        title = spec.get("title") or next((p["title"] for p in _parts(spec) if "title" in p), "")
        if isinstance(title, str):
            title = {"text": title}
        for key in ("text", "subtitle"):
            lines = title.get(key) or []
            for line in [lines] if isinstance(lines, str) else lines:
                if len(line) > 47:
                    too_long.append((page, line))
    assert too_long == []


def _chart_data(at: AppTest, title: str) -> pd.DataFrame:
    for spec, frames in _charts_with_data(at):
        titles = [p.get("title") for p in _parts(spec)]
        texts = [t.get("text") if isinstance(t, dict) else t for t in titles]
        if any(" ".join(t) == title if isinstance(t, list) else t == title for t in texts):
            return pd.concat(frames) if frames else pd.DataFrame()
    raise AssertionError(f"no chart titled {title!r}")


def test_trends_draw_no_share_for_integrations_that_are_not_there(monkeypatch, tmp_path):
    """An owner whose only integration is retired has no must-haves share (not 0%), and a view
    that matches nothing has none either."""
    retired = {**MINIMAL, "id": "old", "name": "Old", "owner": "Team Legacy", "stage": "retired"}
    (tmp_path / "m.json").write_text(json.dumps([MINIMAL, retired]))
    at = fresh(monkeypatch, tmp_path)
    at.run()
    go(at, "pages/8_Trends.py")
    no_exception(at)
    by_owner = _chart_data(at, "Must-haves share by owner")
    assert "Team Legacy" not in set(by_owner.get("group", [])), by_owner
    at = fresh(monkeypatch, tmp_path)
    at.query_params["q"] = "no-such-integration-anywhere"
    at.run()
    go(at, "pages/8_Trends.py")
    no_exception(at)
    share = _chart_data(at, "Share of active integrations passing the must-haves")
    assert share["must_haves_share"].isna().all()


@pytest.mark.parametrize(
    "query",
    [{}, {"type": "carrier"}, {"owner": "Team Fulfilment"}, {"criticality": "high"}],
    ids=["none", "type", "owner", "criticality"],
)
def test_the_initiatives_page_counts_what_its_filters_keep(monkeypatch, query):
    """Its caption said "filtered to ..." over every initiative's unfiltered figures."""
    from catalogue_lib.filters import Filters
    from catalogue_lib.initiatives import report

    as_of = dt.date(2026, 11, 28)
    keys = {"type": "types", "owner": "owners", "criticality": "criticalities"}
    filters = Filters(**{keys[k]: (v,) for k, v in query.items()})
    want = report(open_catalogue([str(ROOT / "data")]), as_of, None, filters)["initiatives"]
    at = fresh(monkeypatch, ROOT / "data")
    at.query_params["as_of"] = as_of.isoformat()
    for key, value in query.items():
        at.query_params[key] = value
    at.run()
    go(at, "pages/9_Initiatives.py")
    no_exception(at)
    shown = [m.value for m in at.metric if m.label == "Meeting the target"]
    assert shown == [f"{n['met']} of {n['in_scope']}" for n in want]
    if query:
        whole = report(open_catalogue([str(ROOT / "data")]), as_of)["initiatives"]
        assert [n["in_scope"] for n in want] != [n["in_scope"] for n in whole]


def test_an_initiative_nobody_is_short_of_says_so_instead_of_an_empty_table(monkeypatch):
    """Filtered to one team, an initiative its integrations all meet showed an empty table
    and "Download 0 rows as CSV"."""
    at = fresh(monkeypatch, ROOT / "data")
    at.query_params["as_of"] = "2026-11-28"
    at.query_params["owner"] = "Team Fulfilment"
    at.run()
    go(at, "pages/9_Initiatives.py")
    no_exception(at)
    met = [m.value for m in at.metric if m.label == "Meeting the target"]
    done = [v for v in met if v.split(" of ")[0] == v.split(" of ")[1] != "0"]
    assert done  # the sample's first initiative, for this team
    assert len(at.success) == len(done)
    assert all(s.value == "Every integration in scope meets the target." for s in at.success)
    assert not [d for d in at.dataframe if d.value.empty]


def test_a_records_checks_passing_counts_as_coverage_does_and_names_its_waivers(
    monkeypatch, tmp_path
):
    """A waived check is an approved exception, not a pass: the record's "Checks passing"
    counts pass and n/a, as Coverage's shares do, and says how many are waived beside it."""
    import yaml

    from .conftest import VALID

    rec = json.loads(json.dumps(VALID))
    rec["operations"].pop("runbook", None)
    (tmp_path / "carrier-a.yaml").write_text(yaml.safe_dump(rec))
    waiver = {
        "integration": "carrier-a",
        "check": "runbook",
        "reason": "legacy",
        "approved_by": "CTO",
    }
    (tmp_path / "scorecard.yaml").write_text(
        yaml.safe_dump({"waivers": [{**waiver, "expires_on": "2099-01-01"}]})
    )
    at = fresh(monkeypatch, tmp_path)
    at.run()
    go(at, "pages/5_Integration.py")
    at.query_params["id"] = "carrier-a"
    at.run()
    no_exception(at)
    checks = next(d.value for d in at.dataframe if "Weight" in d.value.columns)
    states = checks["State"].tolist()
    assert states.count("waived") == 1
    tile = next(m for m in at.metric if m.label == "Checks passing")
    want = sum(s in ("pass", "n/a", "na") for s in states)
    assert tile.value == f"{want} of {len(states)}"
    assert tile.delta == "1 waived"


@pytest.mark.parametrize("active", [3, 10, 14, 25, 30, 48])
def test_a_charts_row_slider_offers_only_counts_that_change_it(monkeypatch, tmp_path, active):
    """The heatmap's and the matrix's sliders (10, 20, 30 rows) offer no count past what the view
    holds, and no slider at all where every row fits the smallest; the chart draws the count
    chosen, or every row."""
    from catalogue_lib import generate

    records = generate.synthetic_records(active, 7)
    for r in records:
        r["stage"] = "live"  # every one active, each with a version
        r.setdefault("lifecycle", {}).setdefault(
            "versions", [{"version": "v1", "status": "current"}]
        )
    generate.write_records(records, tmp_path / "cat")
    at = fresh(monkeypatch, tmp_path / "cat")
    at.query_params["as_of"] = "2026-11-28"
    at.run()
    for page, label, title in [
        ("pages/1_Coverage.py", "Integrations in the heatmap", "integrations with most gaps"),
        ("pages/2_Versions.py", "Integrations in the matrix", "Version support matrix"),
    ]:
        go(at, page)
        no_exception(at)
        sliders = [s for s in at.select_slider if s.label.startswith(label)]
        most = min(active, 30)
        expected = [n for n in (10, 20, 30) if n < most] + [most]
        if len(expected) <= 1:
            assert sliders == [], page
            shown = active
        else:
            (slider,) = sliders
            assert [int(o) for o in slider.options] == expected, page
            assert slider.value == min(20, active)
            slider.set_value(expected[0]).run()
            no_exception(at)
            shown = expected[0]
        (chart,) = [
            frames
            for spec, frames in _charts_with_data(at)
            if title in json.dumps([p.get("title") for p in _parts(spec)])
        ]
        ids = set().union(*(set(f["integration_id"]) for f in chart if "integration_id" in f))
        assert len(ids) == min(shown, 30), page
