"""Risk: where the risk score concentrates, which risks are high, and what has broken."""

import streamlit as st

from catalogue_lib import charts, figures, ui
from catalogue_lib.present import OTHERS, top_title

f = ui.page(
    "Risk",
    "Where does risk concentrate? Risk score = sum of likelihood x impact (high 3, medium 2, "
    "low 1; unknown = medium), times the integration's criticality weight (not set or unknown = medium).",
)
r = figures.risk(ui.query)
owners = ui.query("owner_risk_top", top=15)
heat = ui.query("risk_heatmap", top=15)
incidents = ui.query("incidents_by_mode")

cols = st.columns(4)
cols[0].metric("Risk score", f"{r['risk_score']:,}", border=True)
cols[1].metric(
    "High risks", f"{r['high_risks']:,}", help="Likelihood x impact of 6 or more", border=True
)
cols[2].metric(
    "Owners over 30% of the risk",
    f"{r['owners_over_30']:,}",
    help="Shares of the whole catalogue's risk score, counted only where the catalogue has at "
    "least four owners: with three or fewer someone always holds a third",
    border=True,
)
cols[3].metric("Incidents, last 90 days", f"{r['incidents_90d']:,}", border=True)
if r["owners_over_30"]:  # none where the catalogue has three owners or fewer (see the help)
    for row in owners[(owners["risk_share"] > 0.3) & (owners["owner"] != OTHERS)].itertuples():
        st.warning(
            f"**{ui.md(row.owner)}** holds {row.risk_share:.0%} of the catalogue's risk score."
        )

st.subheader(f"High risks ({r['high_risks']:,})")
ui.big_table("high_risks", page_size=25)
left, right = st.columns(2)
with left:
    ui.chart(
        charts.owner_share(
            owners,
            top_title("Share of the risk score per owner", owners["owner"], 15, "line: 30%"),
            ui.filtered(),
        ),
        key="owners",
    )
with right:
    ui.chart(
        charts.incidents_by_mode(incidents, "Incidents per failure mode", ui.filtered()),
        key="incidents",
    )
ui.chart(
    charts.risk_heatmap(
        heat,
        top_title("Risk score per owner and category", heat["owner"], 15),
        ui.filtered(),
    ),
    key="heat",
)
st.subheader("Owners")
share = ui.share_column()
ui.big_table(
    "owner_risk", page_size=25, column_config={"risk_share": share, "high_criticality_share": share}
)
ui.done()
