"""Initiatives: is each stability campaign on track to reach its target by its due date?"""

import streamlit as st

from catalogue_lib import figures, initiatives, ui
from catalogue_lib import trend_charts as tc
from catalogue_lib.present import md
from catalogue_lib.trends import titles_of

f = ui.page(
    "Initiatives",
    "Each initiative in scorecard.yaml: integrations in scope meeting its target now, the "
    "burn-up against the straight line to the due date, and who still needs what.",
)
cat, _, _ = ui.current()
data = initiatives.report(cat, f.as_of_date(), ui.history(), f)
if not data["initiatives"]:
    st.info("No initiatives yet: add an `initiatives:` section to scorecard.yaml (see the README).")
    ui.done()
    st.stop()
titles = ui.query("scorecard_titles")
checks, levels = titles_of(titles, "check"), titles_of(titles, "level")
for i, n in enumerate(data["initiatives"]):
    st.subheader(md(n["name"]))
    target = (
        levels.get(n["target"], n["target"])
        if isinstance(n["target"], str)
        else ", ".join(checks.get(c, c) for c in n["target"])
    )
    cols = st.columns(4)
    cols[0].metric("Meeting the target", f"{n['met']} of {n['in_scope']}")
    cols[1].metric("Progress", figures.percent(n["progress"]))
    cols[2].metric(
        "Due", n["due"], f"{n['days_left']:,} days left", delta_color="gray", delta_arrow="off"
    )
    cols[3].metric(
        "On track",
        {True: "yes", False: "behind"}.get(n["on_track"], "no history" if n["in_scope"] else "—"),
    )
    st.caption(f"Target: {md(target)} · scope: {md(initiatives.scope_text(n['scope']))}")
    if n["burnup"]:
        # the title as text above the chart: drawn inside it, its top half was cut off
        st.markdown("**Burn-up: integrations meeting the target**")
        ui.chart(
            tc.burnup(n["burnup"], n["due"], None, f.as_of_date(), total=n["in_scope"]),
            key=f"burnup_{i}",
        )
    short = initiatives.short_table(n, checks)
    if len(short):
        ui.table(short, f"initiative-{i}-short")
    elif n["in_scope"]:
        st.success("Every integration in scope meets the target.")
    elif f.narrowed():
        st.caption("No active integration is in scope in this view.")
    else:  # a scope that names nothing the catalogue holds: Data quality says what
        st.warning("No active integration is in scope: check its scope in scorecard.yaml.")
ui.done()
