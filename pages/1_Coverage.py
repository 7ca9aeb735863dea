"""Coverage: which governance checks each integration passes, and the gaps to close."""

import streamlit as st

from catalogue_lib import charts, ui

f = ui.page(
    "Coverage",
    "Each integration against the scorecard's checks. Unknown = the source cannot say; it counts as not passing.",
)
limit = st.slider("Integrations in the heatmap (worst first)", 10, 200, 40, step=10)
matrix = ui.query("check_matrix", limit=limit)
by_owner = ui.query("coverage_by_group", group="owner")
by_type = ui.query("coverage_by_group", group="type")

shown = matrix["integration_id"].nunique()
event = ui.chart(
    charts.check_heatmap(
        matrix, f"The {shown} integrations with the most gaps (click one to open its record)"
    ),
    key="heatmap",
    select=True,
)
picked = (event.get("selection") or {}).get("pick") or [] if event else []
if picked and picked[0].get("integration_id"):
    ui.open_record(picked[0]["integration_id"])
names = dict(zip(matrix["integration_id"], matrix["name"], strict=True))
choice = st.selectbox(
    "Open the record of",
    list(names),
    format_func=names.get,
    index=None,
    placeholder="Choose an integration from the heatmap",
)
if choice:
    ui.open_record(choice)

by_owner_tab, by_type_tab = st.tabs(["Owner x check", "Partner type x check"])
with by_owner_tab:
    ui.chart(
        charts.share_heatmap(
            by_owner, "Owner", "Share of each owner's integrations passing each check"
        ),
        key="owner_heat",
    )
with by_type_tab:
    ui.chart(
        charts.share_heatmap(
            by_type, "Partner type", "Share of shops and carriers passing each check"
        ),
        key="type_heat",
    )
ui.level_tabs()

waivers = ui.query("waivers_status")
if not waivers.empty:
    st.subheader("Waivers")
    st.caption(
        "An approved exception shows a check as waived until its expiry date; then it fails again."
    )
    ui.table(waivers, "waivers", column_config={"integration_id": None})

st.subheader("Gaps to close")
ui.big_table("gaps", hide=("integration_id",))
