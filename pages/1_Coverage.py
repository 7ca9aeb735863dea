"""Coverage: which governance checks each integration passes, and the gaps to close."""

import streamlit as st

from catalogue_lib import charts, figures, present, ui

f = ui.page(
    "Coverage",
    "Which checks does each integration pass? Unknown = the source cannot say (kept apart from "
    "fail, and not passing).",
)
c = figures.coverage(ui.query)
by_owner = ui.query("coverage_by_group", group="owner", top=20)
levels = ui.query("level_distribution", group="owner", top=20)
checks = ui.query("gap_checks")

cols = st.columns(4)
cols[0].metric(
    "Gaps", f"{c['gaps']:,}", help="Failing or unknown checks, waived ones apart", border=True
)
cols[1].metric(  # "4,116 of 4,902" in the value's large type is cut off at 1440 px
    "Integrations with a gap",
    f"{c['integrations_with_gaps']:,}",
    delta=f"of {c['active']:,} active",
    delta_color="gray",
    delta_arrow="off",
    border=True,
)
cols[2].metric(
    "Unknown", f"{c['unknown']:,}", help="The source cannot say (table rows)", border=True
)
cols[3].metric(
    "Waived", f"{c['waived']:,}", help="Approved exceptions until their expiry", border=True
)

choices = present.row_choices(c["active"])
limit = present.row_limit_default(choices)
if len(choices) > 1:
    limit = st.select_slider("Integrations in the heatmap (most gaps first)", choices, value=limit)
matrix = ui.query("check_matrix", limit=limit)
shown = matrix["integration_id"].nunique()
ui.chart(
    charts.check_heatmap(
        matrix, f"The {shown} integrations with most gaps: click one to open it", ui.filtered()
    ),
    key="heatmap",
    opens_record=True,
)
by_owner_tab, levels_tab = st.tabs(["Owners x checks", "Levels by owner"])
with by_owner_tab:
    ui.chart(
        charts.share_heatmap(
            by_owner, "Owner", "Share passing per owner (20 owners with most gaps)", ui.filtered()
        ),
        key="owner_heat",
    )
with levels_tab:
    ui.chart(
        charts.level_bars(levels, "Scorecard level per owner (20 largest)", ui.filtered()),
        key="levels",
    )

waivers = ui.query("waivers_status")
if not waivers.empty:
    st.subheader("Waivers")
    st.caption(
        "An approved exception shows a check as waived until its expiry date; then it fails again."
    )
    ui.table(waivers, "waivers")

st.subheader("Gaps to close")
labels = dict(zip(checks["check_name"], checks["label"], strict=True))
check = st.selectbox(
    "Check", ["all", *labels], format_func=lambda k: labels.get(k, "Every check"), key="gap_check"
)
ui.big_table("gaps", check=check, hide=("type",))
ui.done()
