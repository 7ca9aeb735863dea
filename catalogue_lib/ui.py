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

from . import chart_style, db, figures, grid
from .catalogue import REPO_DATA, Catalogue, default_paths
from .filters import LIST_KEYS, NOT_SET, UNKNOWN, Filters
from .live import LiveCatalogue
from .load import Problem
from .present import csv_of, display_frame, is_missing, md, plural, shown_date
from .present import label as present_label

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
    ("trends", "Trends"),
    ("initiatives", "Initiatives"),
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
    "trends": "pages/8_Trends.py",
    "initiatives": "pages/9_Initiatives.py",
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
    problems of a rejected edit, and the catalogue's version. The first load shows how many
    files have been read instead of a blank page."""
    live = _live(catalogue_paths())
    if live.catalogue is not None:
        return live.current()
    bar = st.progress(0.0, text="Reading the catalogue...")

    def progress(done: int, total: int) -> None:
        text = f"Reading files: {done:,} of {total:,}"
        if done == total:
            text += "; building the catalogue..."
        bar.progress(done / total if total else 1.0, text=text)

    try:
        return live.current(progress)
    finally:
        bar.empty()


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


@st.cache_resource(show_spinner="Reading the catalogue's git history…")
def _history(path: str, head: str | None, version: int) -> Any:
    from .history import open_history

    return open_history(path)


def history() -> Any:
    """The stored history of the catalogue folder (history.History), updated when HEAD moves."""
    from .history import head_key

    path = catalogue_paths()[0]
    head = head_key(path)
    return _history(path, head, current()[2] if head is None else 0)


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


def page(title: str, question: str) -> Filters:
    """Page config, sign-in, the sidebar filters, the title and a caption that names the date the
    page's numbers use (read after the sidebar, so it is never one interaction behind)."""
    st.set_page_config(page_title=f"{title} · {APP_TITLE}", layout="wide")
    _require_sign_in()
    cat, broken, _ = current()
    filters = _sidebar(cat)
    st.title(title)
    st.caption(f"{question} As of **{filters.as_of_date():%Y-%m-%d}**{_filter_note(filters)}.")
    if broken:
        lines = "\n".join(f"- {md(p)}" for p in broken[:10])
        st.warning(
            "**The latest edit broke the catalogue; showing the last good version.**\n\n" + lines,
        )
    errors = len(cat.result.errors)
    if errors and title != "Data quality":
        st.page_link(  # a link's label is one line: a long one was cut off on a phone
            PAGES["quality"],
            label=f"{plural(errors, 'catalogue error')}: see Data quality",
            help="Some records or values did not load",
        )
    if not cat.result.records:
        where = ", ".join(cat.paths)
        st.info(
            f"No integrations found in {md(where)}. Add YAML records, or a Markdown or CSV table."
        )
        if cat.result.problems:
            st.page_link(
                PAGES["quality"],
                label=f"See the {plural(len(cat.result.problems), 'load problem')}",
            )
        done()
        st.stop()
    return filters


def _filter_note(f: Filters) -> str:
    parts = [", ".join(getattr(f, name)) for name in LIST_KEYS if getattr(f, name)]
    if f.search.strip():
        parts.append(f"matching {md(f.search.strip())}")
    return f" · filtered to {md('; '.join(parts))}" if parts else ""


def filtered() -> bool:
    """Whether any sidebar filter narrows the catalogue (an empty chart then says so)."""
    f: Filters = st.session_state.get("_filters", Filters())
    return f.narrowed()


def done() -> None:
    """Marks the end of a page's script (browser tests wait for it before measuring)."""
    st.container(key="page_done", height=1, border=False)


def is_sample() -> bool:
    return [str(Path(p).resolve()) for p in catalogue_paths()] == [str(REPO_DATA.resolve())]


def _options() -> dict[str, list[str]]:
    df = query("filter_options")
    return {
        "types": ["shop", "carrier"],
        "owners": sorted(v for v in df["owner"].dropna().unique()),
        "partners": sorted(v for v in df["partner"].dropna().unique()),
        # "unknown" only where there are table rows: it is what their criticality is
        "criticalities": ["high", "medium", "low", NOT_SET]
        + ([UNKNOWN] if (df["criticality"] == UNKNOWN).any() else []),
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
        st.caption(
            f"Catalogue: {md(', '.join(cat.paths))} · {plural(len(cat.result.records), 'record')}"
        )
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


# A box a heatmap scrolls sideways in, when its fixed-width columns are wider than the screen (a
# phone): without it the whole page scrolled sideways, title and tables with it. Static CSS only.
WIDE_BOX = "scroll-x-"
_WIDE_CSS = f'<style>div[class*="st-key-{WIDE_BOX}"] {{ overflow-x: auto; }}</style>'


def chart(c: alt.Chart, key: str, opens_record: bool = False) -> None:
    """An Altair chart; with opens_record, a click on a mark opens that integration's record.
    A chart whose columns have a fixed step (the heatmaps) keeps its own width, in a box of its
    own that scrolls sideways where the screen is narrower."""
    c = chart_style.fit_title(c)
    if not _stepped(c):
        _draw(c, key, opens_record, "stretch")
        return
    st.html(_WIDE_CSS)
    with st.container(key=f"{WIDE_BOX}{key}"):
        _draw(c, key, opens_record, "content")


def _draw(c: alt.Chart, key: str, opens_record: bool, width: str) -> None:
    if not opens_record or not _selectable(c):
        st.altair_chart(c, key=key, width=width)
        return
    event = st.altair_chart(c, key=key, on_select="rerun", selection_mode="pick", width=width)
    picked = (event.get("selection") or {}).get("pick") or [] if event else []
    if picked and picked[0].get("integration_id"):
        open_record(picked[0]["integration_id"])


def _stepped(c: Any) -> bool:
    return isinstance(getattr(c, "width", None), alt.Step)


def _selectable(c: Any) -> bool:
    """Whether a chart (or one of its layers) defines the click selection (an empty chart does not)."""
    params = getattr(c, "params", alt.Undefined)
    if params is not alt.Undefined and params:
        return True
    return any(_selectable(layer) for layer in (getattr(c, "layer", None) or []))


SHARE_FORMAT = "%.1f%%"  # Streamlit's "percent" trims zeros: 9.4% beside 9.55%


def share_column() -> dict:
    """The column config of a share (a fraction of 1): shown as 9.4% and 9.6%, the same
    decimals in every row (table() scales the column it shows; its CSV keeps the fraction)."""
    return st.column_config.NumberColumn(format=SHARE_FORMAT)


def _is_share(conf: Any) -> bool:
    """Whether a column config is share_column()'s (a config may also be None or a label)."""
    return isinstance(conf, dict) and (conf.get("type_config") or {}).get("format") == SHARE_FORMAT


def table(
    df: pd.DataFrame,
    name: str,
    hide: tuple[str, ...] = (),
    column_config: dict | None = None,
    download: bool = True,
    height: str = "auto",
) -> None:
    """A table as a person reads it (human headers, dates as YYYY-MM-DD, a dash for what is
    missing) and a CSV of exactly the rows and columns shown. Where rows are integrations, a
    click on the integration's name opens its record."""
    hidden = tuple(dict.fromkeys((*hide, "integration_id")))
    shown = display_frame(df, hidden)
    ids = df["integration_id"].tolist() if "integration_id" in df.columns else None
    if ids is None and "id" in df.columns and "name" in df.columns:
        ids = df["id"].tolist()
    config = {present_label(k): v for k, v in (column_config or {}).items()}
    for col, conf in config.items():  # a share is shown in percent, always to one decimal
        if _is_share(conf) and col in shown and pd.api.types.is_numeric_dtype(shown[col]):
            shown[col] = shown[col] * 100
    for col in shown.columns:  # whole numbers with thousands separators, as in every figure
        if pd.api.types.is_integer_dtype(shown[col]) and col != "#":
            config.setdefault(col, st.column_config.NumberColumn(col, format="localized"))
    opens = ids is not None and "Integration" in shown.columns
    row_height = _fit(shown, config, opens)
    box: str | int = height
    if row_height is not None and height == "auto":  # ten rows on screen, as before
        box = grid.box_height(len(shown), row_height)
    grid_args: dict[str, Any] = {
        "hide_index": True,
        "column_config": config,
        "width": "stretch",
        "height": box,
        "row_height": row_height,
    }
    if opens:
        event = st.dataframe(
            shown,
            **grid_args,
            key=f"table_{name}",
            on_select="rerun",
            selection_mode=["single-cell", "single-row"],
        )
        sel = event.selection if event else None
        rows = list(getattr(sel, "rows", []) or [])
        cells = [r for r, col in (getattr(sel, "cells", []) or []) if col == "Integration"]
        for row in cells or rows:
            if 0 <= row < len(ids):
                open_record(ids[row])
        st.caption("Click an integration's name to open its record.")
    else:
        st.dataframe(shown, **grid_args)
    if download:
        st.download_button(
            f"Download {plural(len(df), 'row')} as CSV",
            partial(csv_of, df, hidden),  # built only when someone clicks
            file_name=f"{name}.csv",
            mime="text/csv",
            key=f"download_{name}",
        )


def _fit(shown: pd.DataFrame, config: dict[str, Any], selectable: bool) -> int | None:
    """The table's longest text columns narrowed to fit the page (grid.py). Returns the row
    height: rows tall enough for three lines where a column is narrowed, so that its text wraps
    instead of being cut after a few words."""
    if any(isinstance(conf, dict) and conf.get("width") is not None for conf in config.values()):
        return None  # laid out by hand (the Integration list): an estimate would only undo it
    narrowed = grid.fitted_widths(shown, selectable)
    for col, width in narrowed.items():
        config[col] = {**_config_of(config, col), "width": width}
    return grid.WRAP_ROW_PX if grid.wraps(shown, narrowed) else None


def _config_of(config: dict[str, Any], col: str) -> dict[str, Any]:
    conf = config.get(col)
    return conf if isinstance(conf, dict) else dict(st.column_config.TextColumn(conf or col))


def big_table(
    name: str,
    page_size: int = 50,
    hide: tuple[str, ...] = (),
    column_config: dict | None = None,
    key: str | None = None,
    height: str = "auto",
    **extra: Any,
) -> int:
    """A table over a query that may return many rows: one page at a time (paged in SQL), a
    pager, a CSV of the rows on screen and a CSV of every row. Returns the number of rows.
    height: "content" for a page's main list (every row of the page on screen, no scrolling
    inside the table); "auto" (ten rows) for a table beside other content."""
    key = key or name
    total = query_count(name, **extra)
    if total == 0:
        st.caption("Nothing matches these filters." if filtered() else "Nothing to list.")
        return 0
    pages = max(1, -(-total // page_size))
    page_no = 1
    if pages > 1:
        page_no = int(
            st.number_input(
                f"Page (of {pages:,}; {page_size} rows each)",
                min_value=1,
                max_value=pages,
                value=1,
                key=f"page_{key}",
            )
        )
    rows = query_page(name, page_size, (page_no - 1) * page_size, **extra)
    table(
        rows,
        key if pages == 1 else f"{key}-page-{page_no}",
        hide=hide,
        column_config=column_config,
        height=height,
    )
    if pages > 1:
        cat, _, _ = current()
        params = _unfreeze(_params(extra))
        hidden = [*hide, "integration_id"]
        st.download_button(
            f"Download all {plural(total, 'row')} as CSV",
            partial(_full_csv, cat, name, params, hidden),
            file_name=f"{key}.csv",
            mime="text/csv",
            key=f"download_all_{key}",
        )
        first = (page_no - 1) * page_size + 1
        st.caption(f"Rows {first:,} to {min(total, page_no * page_size):,} of {total:,}.")
    return total


def _full_csv(cat: Catalogue, name: str, params: dict[str, Any], hidden: list[str]) -> bytes:
    return csv_of(db.query(cat.con, name, **params), hidden)


def open_record(integration_id: str) -> None:
    st.session_state["_record"] = integration_id
    st.switch_page(PAGES["integration"], query_params={"id": integration_id})


def rows_link(page_key: str, label: str, help: str | None = None, **params: str) -> None:
    """A link under a headline number to the page that lists the rows behind it."""
    st.page_link(PAGES[page_key], label=label, query_params=params or None, help=help)


def tile(
    where: Any,
    label: str,
    value: str,
    status: str | None,
    target: str,
    help_text: str | None,
    change: str | None = None,
) -> None:
    """A headline number with its target and its colour (blue on target, orange off it), and
    its change over the last 30 days when the catalogue's git history reaches that far (on its
    own line under the tile: beside the target it was cut off at 1440 px)."""
    color = {"good": "blue", "warn": "orange", "bad": "orange"}.get(status or "", "gray")
    where.metric(
        label,
        value,
        delta=figures.verdict(status, target),
        delta_color=color,
        delta_arrow="off",
        help=help_text,
        border=True,
    )
    if change:
        where.caption(change)


def as_of() -> dt.date:
    f: Filters = st.session_state.get("_filters", Filters())
    return f.as_of_date()


def record_sections(sections: list[tuple[str, list[tuple[str, str]]]]) -> None:
    """The template's one-page record in two columns (sections from present.record_sections)."""
    left, right = st.columns(2)
    for i, (heading, pairs) in enumerate(sections):
        with left if i < len(sections) / 2 else right:
            st.markdown(f"#### {heading}")
            st.markdown("\n".join(f"- **{label}:** {text}" for label, text in pairs))


def ranked_items(items: pd.DataFrame) -> None:
    """Backlog items as short cards, each naming its integration as a link to its record: read
    in full on any screen, where a wide table would cut off the owner and the action."""
    if items.empty:
        st.caption(
            "Nothing in the backlog." if not filtered() else "Nothing matches these filters."
        )
        return
    for r in items.itertuples():
        with st.container(border=True, gap="xxsmall"):
            st.page_link(
                PAGES["integration"],
                label=f"**{md(r.name)}**",
                query_params={"id": r.integration_id},
            )
            due = (
                "" if is_missing(r.due) else f" · due {md(shown_date(r.due, r.written, r.derived))}"
            )
            if not is_missing(r.due_by):
                due += f", by {pd.Timestamp(r.due_by):%Y-%m-%d} (freeze)"
            st.markdown(
                f"**#{int(r.rank)}** · score **{r.score:g}** · {md(r.item)}  \n"
                f"{md(r.action)} · owner {md(r.owner)}{due}  \n"
                f":gray[{md(r.why)}]"
            )


def url_choice(key: str, options: list[Any], default: Any) -> Any:
    """The value a page-level choice should start from: the link's `?key=` when the link changed
    (so a link to the same page with another value is obeyed), else the widget's own state. The
    widget must use the same key; keep_in_url writes the choice back."""
    asked = st.query_params.get(key)
    value = (
        type(default)(asked) if asked is not None and str(asked) in map(str, options) else default
    )
    if key not in st.session_state or st.session_state.get(f"_url_{key}") != asked:
        st.session_state[f"_url_{key}"] = asked
        st.session_state[key] = value
    return st.session_state.get(key, value)


def choice_in_url(key: str, value: Any, default: Any) -> None:
    wanted = {} if value == default else {key: str(value)}
    keep_in_url(wanted, owned={key})
    st.session_state[f"_url_{key}"] = wanted.get(key)
