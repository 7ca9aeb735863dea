"""The one module that imports Streamlit: cached catalogue, cached queries, shared sidebar.

Pages call `page()` once and get the catalogue and the filters back; every
query goes through `query()`, which is cached per catalogue version.
"""

from __future__ import annotations

import datetime as dt
import sys
from functools import partial
from pathlib import Path
from typing import Any

import altair as alt
import pandas as pd
import streamlit as st

from . import charts, db
from .catalogue import Catalogue, default_paths
from .filters import LIST_KEYS, NOT_SET, Filters
from .live import LiveCatalogue
from .load import Problem
from .present import csv_of, md, safe_link

APP_TITLE = "Integrations Catalogue"
NAV = (
    ("health", "Ecosystem health"),
    ("coverage", "Coverage"),
    ("versions", "Versions"),
    ("deprecations", "Deprecations"),
    ("risk", "Risk"),
    ("backlog", "Backlog"),
    ("integration", "Integration"),
    ("quality", "Data quality"),
)
PAGES = {
    "health": "app.py",
    "coverage": "pages/1_Coverage.py",
    "versions": "pages/2_Versions.py",
    "deprecations": "pages/3_Deprecations.py",
    "risk": "pages/4_Risk.py",
    "integration": "pages/5_Integration.py",
    "quality": "pages/6_Data_quality.py",
    "backlog": "pages/7_Backlog.py",
}


# --------------------------------------------------------------------------- catalogue


def catalogue_paths() -> tuple[str, ...]:
    """`streamlit run app.py -- PATH...`, else $CATALOGUE_PATH, else data/."""
    launched_as_app = Path(sys.argv[0]).name == "app.py"  # not when a test runner imports us
    args = [a for a in sys.argv[1:] if not a.startswith("-")] if launched_as_app else []
    return tuple(args) if args else tuple(default_paths())


@st.cache_resource(show_spinner=False)
def _live(paths: tuple[str, ...]) -> LiveCatalogue:
    """One live catalogue per catalogue path, shared by every session of this server."""
    return LiveCatalogue(list(paths))


def current() -> tuple[Catalogue, list[Problem], int]:
    """The catalogue (reloaded when a file changed; a broken edit keeps the last good one), the
    problems of a rejected edit, and the catalogue's version."""
    return _live(catalogue_paths()).current()


# Query caches are keyed on the catalogue's path and version (never on the catalogue object, the
# leading underscore tells Streamlit not to hash it), and run on exactly that catalogue.
@st.cache_data(show_spinner=False, max_entries=1024)
def _cached_query(
    _cat: Catalogue, paths: tuple[str, ...], version: int, name: str, params: tuple
) -> pd.DataFrame:
    return db.query(_cat.con, name, **_unfreeze(params))


def _params(extra: dict[str, Any]) -> tuple:
    f: Filters = st.session_state.get("_filters", Filters())
    params = {**f.sql_params(), "as_of": f.as_of_date(), **extra}
    return tuple(sorted((k, tuple(v) if isinstance(v, list) else v) for k, v in params.items()))


def _unfreeze(params: tuple) -> dict[str, Any]:
    return {k: list(v) if isinstance(v, tuple) else v for k, v in params}


@st.cache_data(show_spinner=False, max_entries=1024)
def _cached_page(
    _cat: Catalogue,
    paths: tuple[str, ...],
    version: int,
    name: str,
    params: tuple,
    limit: int,
    offset: int,
) -> pd.DataFrame:
    return db.query_page(_cat.con, name, limit, offset, **_unfreeze(params))


@st.cache_data(show_spinner=False, max_entries=1024)
def _cached_count(
    _cat: Catalogue, paths: tuple[str, ...], version: int, name: str, params: tuple
) -> int:
    return db.query_count(_cat.con, name, **_unfreeze(params))


def query_page(name: str, limit: int, offset: int = 0, **extra: Any) -> pd.DataFrame:
    """Rows offset..offset+limit of a query with the current filters (large tables page)."""
    cat, _, version = current()
    return _cached_page(cat, catalogue_paths(), version, name, _params(extra), limit, offset)


def query_count(name: str, **extra: Any) -> int:
    cat, _, version = current()
    return _cached_count(cat, catalogue_paths(), version, name, _params(extra))


def query(name: str, **extra: Any) -> pd.DataFrame:
    """Run sql/<name>.sql with the current filters, as-of date and extra parameters."""
    cat, _, version = current()
    return _cached_query(cat, catalogue_paths(), version, name, _params(extra))


# --------------------------------------------------------------------------- page frame


def sign_in_configured() -> bool:
    """OIDC sign-in is on when .streamlit/secrets.toml has an [auth] section."""
    try:
        return "auth" in st.secrets
    except Exception:  # no secrets file at all: the app runs open, for local use
        return False


def _require_sign_in() -> None:
    if not sign_in_configured():
        return
    if st.user.get("is_logged_in"):
        with st.sidebar:
            who = st.user.get("name") or st.user.get("email") or "signed in"
            st.caption(f"Signed in as {md(who)}")
            st.button("Sign out", on_click=st.logout, key="sign_out")
        return
    st.title(APP_TITLE)
    st.write("This dashboard is for people in the company. Sign in to see the catalogue.")
    st.button("Sign in", on_click=st.login, type="primary", key="sign_in")
    st.stop()


def page(title: str, caption: str) -> Filters:
    """Page config, sign-in, the catalogue banner, the sidebar filters; returns the filters."""
    st.set_page_config(page_title=f"{title} · {APP_TITLE}", layout="wide")
    _require_sign_in()
    cat, broken, _ = current()
    filters = _sidebar(cat)
    st.title(title)
    st.caption(caption)
    if broken:
        lines = "\n".join(f"- {md(p)}" for p in broken[:10])
        st.warning(
            "**The latest edit broke the catalogue; showing the last good version.**\n\n" + lines,
        )
    errors = len(cat.result.errors)
    if errors and title != "Data quality":
        st.page_link(
            PAGES["quality"],
            label=f"{errors} catalogue errors: some records did not load. See Data quality",
        )
    if not cat.result.records:
        where = ", ".join(cat.paths)
        st.info(
            f"No integrations found in {md(where)}. Add YAML records, or a Markdown or CSV table."
        )
        if cat.result.problems:
            st.page_link(
                PAGES["quality"], label=f"See the {len(cat.result.problems)} load problems"
            )
        st.stop()
    return filters


def _options() -> dict[str, list[str]]:
    df = query("filter_options")
    return {
        "types": ["shop", "carrier"],
        "owners": sorted(v for v in df["owner"].dropna().unique()),
        "partners": sorted(v for v in df["partner"].dropna().unique()),
        "criticalities": ["high", "medium", "low", NOT_SET],
        "directions": ["inbound", "outbound"],
    }


def _sidebar(cat: Catalogue) -> Filters:
    stored: Filters | None = st.session_state.get("_filters")
    if stored is None:  # a new session: start from the link
        stored = Filters.from_query({k: st.query_params.get_all(k) for k in st.query_params})
        st.session_state["_filters"] = stored
    options = _options()
    stored = stored.restricted_to(options)
    with st.sidebar:
        for key, label in NAV:
            st.page_link(PAGES[key], label=label)
        st.divider()
        st.header("Filters")
        types = st.multiselect(
            "Partner type", options["types"], default=stored.types, key="f_types"
        )
        owners = st.multiselect("Owner", options["owners"], default=stored.owners, key="f_owners")
        partners = st.multiselect(
            "Partner", options["partners"], default=stored.partners, key="f_partners"
        )
        crits = st.multiselect(
            "Criticality", options["criticalities"], default=stored.criticalities, key="f_crit"
        )
        directions = st.multiselect(
            "Direction", options["directions"], default=stored.directions, key="f_dir"
        )
        search = st.text_input(
            "Search", value=stored.search, key="f_search", placeholder="name, partner, owner…"
        )
        as_of = st.date_input(
            "As of", value=stored.as_of_date(), key="f_as_of", format="YYYY-MM-DD"
        )
        st.caption(f"Catalogue: {md(', '.join(cat.paths))} · {len(cat.result.records)} records")
    filters = Filters(
        types=tuple(types),
        owners=tuple(owners),
        partners=tuple(partners),
        criticalities=tuple(crits),
        directions=tuple(directions),
        search=search,
        as_of=as_of if isinstance(as_of, dt.date) and as_of != dt.date.today() else None,
    )
    st.session_state["_filters"] = filters
    keep_in_url(filters.to_query())
    return filters


_FILTER_KEYS = {*LIST_KEYS.values(), "q", "as_of"}


def keep_in_url(wanted: dict[str, str | list[str]], owned: set[str] | None = None) -> None:
    """Write parameters into the URL on every run (navigation clears the query string)."""
    owned = _FILTER_KEYS if owned is None else owned
    current_q = {k: st.query_params.get_all(k) for k in st.query_params}
    merged = {k: v for k, v in current_q.items() if k not in owned}
    merged.update({k: v if isinstance(v, list) else [v] for k, v in wanted.items()})
    if merged != current_q:
        st.query_params.from_dict(merged)


# --------------------------------------------------------------------------- widgets


def chart(c: alt.Chart, key: str | None = None, select: bool = False) -> Any:
    if select:
        return st.altair_chart(
            c, key=key, on_select="rerun", selection_mode="pick", width="stretch"
        )
    return st.altair_chart(c, key=key, width="stretch")


def table(
    df: pd.DataFrame, name: str, column_config: dict | None = None, height: int | str = "auto"
) -> None:
    """A table and a CSV download of exactly the rows shown (dates as YYYY-MM-DD)."""
    config = dict(column_config or {})
    for col in df.columns:
        if pd.api.types.is_datetime64_any_dtype(df[col]):
            config.setdefault(col, st.column_config.DateColumn(col, format="YYYY-MM-DD"))
    st.dataframe(df, hide_index=True, column_config=config, width="stretch", height=height)
    hidden = [c for c, v in config.items() if v is None]
    st.download_button(
        f"Download these {len(df)} rows as CSV",
        partial(csv_of, df, hidden),  # built only when someone clicks
        file_name=f"{name}.csv",
        mime="text/csv",
        key=f"download_{name}",
    )


def big_table(
    name: str,
    page_size: int = 200,
    column_config: dict | None = None,
    hide: tuple[str, ...] = (),
    **extra: Any,
) -> int:
    """A table over a query that may return many rows: one page at a time, a pager, a CSV of
    the rows on screen and a CSV of every row. Returns the number of rows."""
    total = query_count(name, **extra)
    pages = max(1, -(-total // page_size))
    page_no = 1
    if pages > 1:
        page_no = int(
            st.number_input(
                f"Page (of {pages:,}; {page_size} rows each)",
                min_value=1,
                max_value=pages,
                value=1,
                key=f"page_{name}",
            )
        )
    rows = query_page(name, page_size, (page_no - 1) * page_size, **extra)
    config = {**{c: None for c in hide}, **(column_config or {})}
    table(rows, name if pages == 1 else f"{name}-page-{page_no}", config)
    if pages > 1:
        cat, _, _ = current()
        params = _unfreeze(_params(extra))
        st.download_button(
            f"Download all {total:,} rows as CSV",
            partial(_full_csv, cat, name, params, [c for c, v in config.items() if v is None]),
            file_name=f"{name}.csv",
            mime="text/csv",
            key=f"download_all_{name}",
        )
        st.caption(
            f"Rows {(page_no - 1) * page_size + 1:,} to {min(total, page_no * page_size):,} of {total:,}."
        )
    return total


def _full_csv(cat: Catalogue, name: str, params: dict[str, Any], hidden: list[str]) -> bytes:
    return csv_of(db.query(cat.con, name, **params), hidden)


def open_record(integration_id: str) -> None:
    st.session_state["_record"] = integration_id
    st.switch_page(PAGES["integration"], query_params={"id": integration_id})


def as_of() -> str:
    f: Filters = st.session_state.get("_filters", Filters())
    return f.as_of_date().isoformat()


def link(label: str, url: object) -> str:
    """Markdown for a link when the URL is http(s); otherwise the text, inert."""
    safe = safe_link(url)
    if safe is None:
        return md(url) if url else "—"
    return f"[{md(label)}](<{safe.replace('<', '%3C').replace('>', '%3E')}>)"


def _val(value: object) -> str:
    """Any stored value as inert Markdown text ('—' when missing)."""
    if value is None or (isinstance(value, float) and value != value):
        return "—"
    if hasattr(value, "tolist") and not isinstance(value, str):
        value = value.tolist()
    if isinstance(value, list | tuple):
        return ", ".join(md(v) for v in value) if value else "—"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, pd.Timestamp | dt.date):
        return f"{pd.Timestamp(value):%Y-%m-%d}"
    if isinstance(value, float):
        return f"{value:g}"
    return md(value)


def _lines(pairs: list[tuple[str, str]]) -> str:
    return "\n".join(f"- **{label}:** {text}" for label, text in pairs)


def record_sections(r: pd.Series) -> None:
    """The template's one-page record (sections 3.1 to 3.4); links only when http(s)."""
    slo = [
        f"success {r['slo_success_rate_pct']:g}%" if pd.notna(r["slo_success_rate_pct"]) else None,
        f"p95 {r['slo_latency_p95_ms']:g} ms" if pd.notna(r["slo_latency_p95_ms"]) else None,
        f"freshness {r['slo_freshness_minutes']:g} min"
        if pd.notna(r["slo_freshness_minutes"])
        else None,
    ]
    slo_text = md(", ".join(s for s in slo if s)) if any(slo) else "—"
    left, right = st.columns(2)
    with left:
        st.markdown("#### Overview")
        st.markdown(
            _lines(
                [
                    ("Partner", _val(r["partner"])),
                    ("Partner type", _val(r["type"])),
                    ("Direction", _val(r["direction"])),
                    ("Business purpose", _val(r["business_purpose"])),
                    ("Criticality", _val(r["criticality"])),
                    ("Customers/sites impacted", _val(r["customers_impacted"])),
                    ("Critical flows", _val(r["critical_flows"])),
                    ("Owner", _val(r["owner"])),
                    ("Support contact", _val(r["support_contact"])),
                    ("Reviewed on", _val(r["reviewed_on"])),
                ]
            )
        )
        st.markdown("#### Contracts & endpoints")
        st.markdown(
            _lines(
                [
                    (
                        "Auth",
                        f"{_val(r['auth_method'])}, expires "
                        + (
                            f"{_val(r['auth_expires_written'])} (approximate)"
                            if isinstance(r["auth_expires_written"], str)
                            else _val(r["auth_expires_on"])
                        ),
                    ),
                    ("Key endpoints/events", _val(r["endpoints"])),
                    ("Payload schema versioning", _val(r["schema_versioning"])),
                    ("Idempotency", _val(r["idempotency"])),
                    ("Retry/backoff", _val(r["retry_backoff"])),
                    ("Rate limit behaviour (429)", _val(r["rate_limit"])),
                    ("Error mapping", _val(r["error_mapping"])),
                    (
                        "Webhooks",
                        f"signature verification {_val(r['webhook_signature_verification'])}; "
                        f"replay {_val(r['webhook_replay'])}; delivery {_val(r['webhook_delivery'])}; "
                        f"transport {_val(r['webhook_transport'])}",
                    ),
                ]
            )
        )
    with right:
        st.markdown("#### Operational expectations")
        st.markdown(
            _lines(
                [
                    ("SLO targets", slo_text),
                    ("SLA/SLO notes", _val(r["slo_notes"])),
                    ("Monitoring notes", _val(r["monitoring"])),
                    ("Dashboard", link("open dashboard", r["dashboard"])),
                    ("Alert rules", _val(r["alert_rules"])),
                    ("Runbook", link("open runbook", r["runbook"])),
                    ("On-call", _val(r["on_call"])),
                    ("Escalation", _val(r["escalation"])),
                ]
            )
        )
        st.markdown("#### Lifecycle")
        st.markdown(
            _lines(
                [
                    ("Deprecation policy", _val(r["deprecation_policy"])),
                    ("Migration plan", link("open migration plan", r["migration_plan"])),
                    (
                        "Test environment",
                        f"{_val(r['test_environment'])} ({_val(r['test_environment_notes'])})",
                    ),
                    (
                        "Support window (months)",
                        f"{_val(r['support_months'])} after release; "
                        f"{_val(r['support_months_after_successor'])} after the next version",
                    ),
                ]
            )
        )
        st.markdown("#### Partner links")
        st.markdown(
            _lines(
                [
                    ("Status page", link("status page", r["status_page"])),
                    ("Changelog", link("changelog", r["changelog"])),
                    ("Deprecations", link("deprecation notices", r["deprecations_page"])),
                    ("Developer portal", link("developer portal", r["developer_portal"])),
                ]
            )
        )


def level_tabs() -> None:
    """Scorecard levels per partner type and per owner (health and coverage pages)."""
    by_type, by_owner = st.tabs(["Levels by partner type", "Levels by owner"])
    with by_type:
        df = query("level_distribution", group="type")
        chart(
            charts.level_distribution(
                df, "Partner type", "Scorecard level of active integrations, by partner type"
            ),
            key="levels_type",
        )
    with by_owner:
        df = query("level_distribution", group="owner")
        chart(
            charts.level_distribution(
                df, "Owner", "Scorecard level of active integrations, by owner"
            ),
            key="levels_owner",
        )
