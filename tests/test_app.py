"""The Streamlit app driven by AppTest: every page runs, and filters do what a user expects."""

from __future__ import annotations

import datetime as dt
import shutil
import time
from pathlib import Path

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from catalogue_lib.files import CONFIG_FILES

from .conftest import AS_OF, CATALOGUE, ROOT

APP = str(ROOT / "app.py")
PAGES = sorted(str(p.relative_to(ROOT)) for p in (ROOT / "pages").glob("*.py"))
CARRIERS = {"beta-carrier", "gamma-carrier", "delta-retired", "zeta-carrier"}
CARRIER_NAMES = {"Beta Carrier", "Gamma Carrier", "Delta Retired", "Zeta Carrier"}


@pytest.fixture
def app(monkeypatch) -> AppTest:
    """The app on the fixture catalogue, as of the fixture's date, with fresh caches."""
    monkeypatch.setenv("CATALOGUE_PATH", str(CATALOGUE))
    st.cache_resource.clear()
    st.cache_data.clear()
    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params["as_of"] = AS_OF.isoformat()
    return at.run()


def go(at: AppTest, page: str) -> AppTest:
    at.switch_page(page)
    return at.run()


def no_exception(at: AppTest) -> None:
    assert [e.value for e in at.exception] == []


def metric(at: AppTest, label: str) -> str:
    return next(m.value for m in at.metric if m.label == label)


def names_shown(at: AppTest) -> set[str]:
    found: set[str] = set()
    for df in (d.value for d in at.dataframe):
        for col in ("Integration", "ID"):
            if col in df.columns:
                found |= set(df[col].dropna())
    return found


def test_every_page_runs_on_the_sample_catalogue(monkeypatch):
    monkeypatch.delenv("CATALOGUE_PATH", raising=False)
    st.cache_resource.clear()
    at = AppTest.from_file(APP, default_timeout=60).run()
    no_exception(at)
    records = [p for p in (ROOT / "data").glob("*.yaml") if p.name not in CONFIG_FILES]
    assert metric(at, "Integrations") == str(len(records) + 4)
    for page in PAGES:
        no_exception(go(at, page))
        assert at.title[0].value


@pytest.mark.parametrize("page", ["app.py", *PAGES])
def test_page_runs_on_the_fixture(app, page):
    if page != "app.py":
        go(app, page)
    no_exception(app)


def test_health_headline_on_the_fixture(app):
    assert metric(app, "Integrations") == "6"
    assert metric(app, "Overdue deadlines") == "2"
    assert metric(app, "Passing the must-haves") == "40%"  # 2 of 5 active
    assert metric(app, "High risks") == "1"


def test_choosing_carrier_leaves_only_carriers_on_every_page(app):
    app.multiselect(key="f_types").set_value(["carrier"]).run()
    assert metric(app, "Integrations") == "4"
    for page in PAGES:
        go(app, page)
        no_exception(app)
        shown = names_shown(app)
        assert shown <= CARRIERS | CARRIER_NAMES | {"Carrier"}, (page, shown)
    go(app, "pages/5_Integration.py")
    listing = app.dataframe[0].value
    assert len(listing) == 4 and set(listing["Partner type"]) == {"carrier"}


def test_as_of_date_moves_deadlines_between_upcoming_and_overdue(app):
    go(app, "pages/3_Deprecations.py")
    assert metric(app, "Overdue") == "2"
    app.date_input(key="f_as_of").set_value(dt.date(2027, 2, 2)).run()
    assert metric(app, "Overdue") == "4"  # alpha-shop's sunset and credential expiry have passed
    table = next(d.value for d in app.dataframe if "Status" in d.value.columns)
    alpha = table[table["Integration"] == "Alpha Shop"]
    assert set(alpha[alpha["Kind"] == "Sunset"]["Status"]) == {"OVERDUE"}


def test_owner_filter_narrows_the_risk_page(app):
    go(app, "pages/4_Risk.py")
    owners = next(d.value for d in app.dataframe if "Share of risk" in d.value.columns)
    assert set(owners["Owner"]) == {"Team Alpha", "Eng", "PO", "(no owner)"}
    app.multiselect(key="f_owners").set_value(["Eng"]).run()
    owners = next(d.value for d in app.dataframe if "Share of risk" in d.value.columns)
    assert owners["Owner"].tolist() == ["Eng"]
    assert owners["Risk score"].tolist() == [6]


def test_owner_holding_over_30_percent_is_called_out(app):
    go(app, "pages/4_Risk.py")
    warnings = [w.value for w in app.warning]
    assert any("Team Alpha" in w and "88%" in w for w in warnings)
    assert not any("Eng" in w for w in warnings)


def test_filters_are_written_to_the_url(app):
    app.multiselect(key="f_types").set_value(["carrier"]).run()
    app.text_input(key="f_search").set_value("gamma").run()
    assert app.query_params["type"] == "carrier"
    assert app.query_params["q"] == "gamma"
    app.date_input(key="f_as_of").set_value(dt.date(2027, 1, 1)).run()
    assert app.query_params["as_of"] == "2027-01-01"
    go(app, "pages/2_Versions.py")
    assert app.query_params["type"] == "carrier"  # kept across navigation


def test_link_with_filters_opens_filtered(monkeypatch):
    monkeypatch.setenv("CATALOGUE_PATH", str(CATALOGUE))
    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params["type"] = "shop"
    at.query_params["owner"] = "Team Alpha"
    at.run()
    assert at.multiselect(key="f_types").value == ["shop"]
    assert metric(at, "Integrations") == "2"


def test_record_page_shows_the_chosen_integration(app):
    app.query_params["id"] = "gamma-carrier"
    go(app, "pages/5_Integration.py")
    assert any(h.value == "Gamma Carrier" for h in app.header)
    checks = next(d.value for d in app.dataframe if "Weight" in d.value.columns)
    assert len(checks) == 14
    assert metric(app, "Scorecard level") == "No level"  # as the home page says it, not "none"
    needs = next(
        d.value for d in app.dataframe if list(d.value.columns) == ["Check", "State", "How to fix"]
    )
    assert set(needs["Check"]) == {"Named owner", "Dashboard", "Alert rules", "Runbook"}
    text = " ".join(m.value for m in app.markdown)
    assert "Gamma Post" in text


def test_every_table_has_a_download_of_its_rows(app):
    for page in PAGES:
        go(app, page)
        tables = len(app.dataframe)
        downloads = [b for b in app.get("download_button")]
        assert len(downloads) == tables, page


def run_until(at: AppTest, condition, seconds: float = 120.0) -> None:
    """A person edits a file, then clicks (again, until the file watcher has seen the edit): the
    bound is generous and the loop ends as soon as the page shows it, so a busy machine is slow,
    never wrong (a fixed half-second sleep failed when the watcher was late)."""
    deadline = time.monotonic() + seconds
    at.run()
    while not condition(at) and time.monotonic() < deadline:
        time.sleep(0.2)
        at.run()


def copy_catalogue(tmp_path: Path) -> Path:
    target = tmp_path / "catalogue"
    shutil.copytree(CATALOGUE, target)
    return target


def test_an_edit_shows_up_on_the_next_interaction(tmp_path, monkeypatch):
    folder = copy_catalogue(tmp_path)
    monkeypatch.setenv("CATALOGUE_PATH", str(folder))
    at = AppTest.from_file(APP, default_timeout=60).run()
    assert metric(at, "Integrations") == "6"
    (folder / "new-one.yaml").write_text(
        "id: new-one\nname: New\ntype: shop\npartner: N\ndirection: [inbound]\n"
    )
    run_until(at, lambda at: metric(at, "Integrations") == "7")
    assert metric(at, "Integrations") == "7"


def test_a_broken_edit_keeps_the_last_good_catalogue_with_a_banner(tmp_path, monkeypatch):
    folder = copy_catalogue(tmp_path)
    monkeypatch.setenv("CATALOGUE_PATH", str(folder))
    at = AppTest.from_file(APP, default_timeout=60).run()
    (folder / "alpha-shop.yaml").write_text("id: alpha-shop\nname: [broken\n")
    run_until(at, lambda at: bool(at.warning))
    no_exception(at)
    assert metric(at, "Integrations") == "6"  # nothing lost on screen
    banner = " ".join(w.value for w in at.warning)
    assert "alpha\\-shop" in banner and "last good" in banner
    (folder / "alpha-shop.yaml").write_text(
        (CATALOGUE / "alpha-shop.yaml").read_text().replace("Alpha Shop", "Alpha Renamed")
    )
    run_until(at, lambda at: not at.warning)
    assert not at.warning
    go(at, "pages/5_Integration.py")
    assert "Alpha Renamed" in names_shown(at)


def test_empty_catalogue_folder_gives_an_empty_state(tmp_path, monkeypatch):
    monkeypatch.setenv("CATALOGUE_PATH", str(tmp_path))
    at = AppTest.from_file(APP, default_timeout=60).run()
    no_exception(at)
    assert any("No integrations found" in i.value for i in at.info)


def test_missing_catalogue_folder_gives_an_empty_state(tmp_path, monkeypatch):
    monkeypatch.setenv("CATALOGUE_PATH", str(tmp_path / "nope"))
    at = AppTest.from_file(APP, default_timeout=60).run()
    no_exception(at)
    assert any("No integrations found" in i.value for i in at.info)


def test_catalogue_path_from_the_command_line(monkeypatch):
    from catalogue_lib import ui

    monkeypatch.setattr("sys.argv", ["app.py", "/some/catalogue", "/other.md"])
    assert ui.catalogue_paths() == ("/some/catalogue", "/other.md")
    monkeypatch.setattr("sys.argv", ["/usr/bin/pytest", "tests/"])  # a test runner's own arguments
    monkeypatch.setenv("CATALOGUE_PATH", str(CATALOGUE))
    assert ui.catalogue_paths() == (str(CATALOGUE),)


def test_backlog_page_shows_the_ten_first_items_and_the_rule(app):
    go(app, "pages/7_Backlog.py")
    no_exception(app)
    assert "How items are scored and ordered" in [e.label for e in app.expander]
    assert any(
        "Equal scores are ordered by the day they are due by" in c.value for c in app.caption
    )
    rule = next(m.value for m in app.markdown if "score = criticality weight" in m.value)
    assert (
        "stops working 3, falls forward to a newer version 2, keeps working unsupported 1" in rule
    )
    assert "due by the day before the freeze" in rule  # v1.1: sunset weights and freeze rule
    cards = [m.value for m in app.markdown if m.value.startswith("**#")]
    assert len(cards) == min(10, int(metric(app, "Work items").replace(",", "")))
    every = app.dataframe[0].value
    assert every["Integration"].iloc[0] == "Alpha Shop"
    assert every["Why it ranks here"].iloc[0].startswith("high criticality (x3)")
    assert cards[0].startswith("**#1**")
    app.multiselect(key="f_owners").set_value(["Eng"]).run()
    assert set(app.dataframe[0].value["Owner"]) == {"Eng"}


def test_health_and_coverage_show_levels(app):
    assert metric(app, "At Silver or above") == "20%"  # 1 of 5 active integrations
    go(app, "pages/1_Coverage.py")
    assert "Levels by owner" in [t.label for t in app.tabs]


def test_without_auth_configured_the_app_runs_open(app):
    assert not [b for b in app.button if b.label == "Sign in"]
    assert metric(app, "Integrations") == "6"


def test_with_auth_configured_nothing_shows_before_sign_in(monkeypatch):
    monkeypatch.setenv("CATALOGUE_PATH", str(CATALOGUE))
    at = AppTest.from_file(APP, default_timeout=60)
    at.secrets["auth"] = {
        "redirect_uri": "http://localhost:8501/oauth2callback",
        "cookie_secret": "test-cookie-secret",
        "client_id": "dashboard",
        "client_secret": "not-a-real-one",
        "server_metadata_url": "https://login.example.com/.well-known/openid-configuration",
    }
    at.run()
    no_exception(at)
    assert [b.label for b in at.button] == ["Sign in"]
    assert not at.metric and not at.dataframe  # no catalogue figure before sign-in
    for page in PAGES:
        no_exception(go(at, page))
        assert not at.dataframe and [b.label for b in at.button] == ["Sign in"]


def test_v11_dates_and_freezes_on_the_backlog_and_deprecations_pages(tmp_path, monkeypatch):
    """(v1.1) A backlog card shows an approximate date as written and the day a freeze makes it
    due by; the Deprecations page lists the freeze with its due-by day and the deadline inside."""
    (tmp_path / "calendar.yaml").write_text(
        "freezes:\n  - {name: Peak 2026, from: 2026-12-01, to: 2027-01-04}\n"
    )
    (tmp_path / "x.yaml").write_text(
        "id: x\nname: X\ntype: carrier\npartner: P\ndirection: [outbound]\n"
        "auth: {expires_on: 2027-Q1}\n"
    )
    monkeypatch.setenv("CATALOGUE_PATH", str(tmp_path))
    st.cache_resource.clear()
    st.cache_data.clear()
    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params["as_of"] = AS_OF.isoformat()
    at.run()
    go(at, "pages/7_Backlog.py")
    no_exception(at)
    (card,) = [m.value for m in at.markdown if m.value.startswith("**#1**")]
    assert "due 2027\\-Q1 \\(approximate\\), by 2026-11-30 (freeze)" in card
    go(at, "pages/3_Deprecations.py")
    no_exception(at)
    assert any("Change freezes" in h.value for h in at.subheader)
    tables = [d.value.to_dict("records") for d in at.dataframe]
    (deadline,) = next(t for t in tables if t and "Due" in t[0])  # the date as written
    assert (deadline["Due"], deadline["Due by (freeze)"]) == (
        "2027-Q1 (approximate)",
        "2026-11-30 (Peak 2026)",  # the day and the freeze, in one column: the table fits 1440 px
    )
    (freeze,) = next(t for t in tables if t and "Deadlines inside" in t[0])
    assert freeze == {
        "Freeze": "Peak 2026",
        "From": "2026-12-01",
        "To": "2027-01-04",
        "Due by (freeze)": "2026-11-30",
        "Deadlines inside": 1,
    }


def test_the_app_survives_an_edit_in_a_process_that_never_parsed_before(tmp_path):
    """An edited record is read in a new script-run thread, the first parse having run in an
    earlier one (yaml-rs crashed the server then). Its own process: a crash fails this test
    only, and no earlier test of this process has parsed in the main thread to hide it."""
    import subprocess
    import sys

    folder = copy_catalogue(tmp_path)
    script = f"""
import os, time
os.environ["CATALOGUE_PATH"] = {str(folder)!r}
from streamlit.testing.v1 import AppTest
at = AppTest.from_file({APP!r}, default_timeout=300).run()
open(os.path.join({str(folder)!r}, "new-one.yaml"), "w").write(
    "id: new-one\\nname: New\\ntype: shop\\npartner: N\\ndirection: [inbound]\\n"
)
for _ in range(300):  # the watcher's event, awaited by outcome
    at.run()
    shown = [m.value for m in at.metric if m.label == "Integrations"]
    if shown == ["7"]:
        break
    time.sleep(0.2)
assert not at.exception, at.exception
print(shown)
"""
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, cwd=ROOT, timeout=600
    )
    assert (done.returncode, done.stdout.strip()) == (0, "['7']"), done.stderr[-2000:]


def test_the_sidebar_counts_records_in_words(tmp_path, monkeypatch):
    """'1 record', '1,234 records': the count reads like the rest of the dashboard."""
    import yaml

    from .conftest import valid_record

    folder = tmp_path / "one"
    folder.mkdir()
    (folder / "a.yaml").write_text(yaml.safe_dump(valid_record(id="only-one")))
    monkeypatch.setenv("CATALOGUE_PATH", str(folder))
    at = AppTest.from_file(APP, default_timeout=60).run()
    shown = [c.value for c in at.sidebar.caption if c.value.startswith("Catalogue:")]
    assert len(shown) == 1 and shown[0].endswith("· 1 record"), shown
