"""Risk: where the risk score concentrates, by owner and category, and what has broken."""

import streamlit as st

from catalogue_lib import charts, ui

f = ui.page(
    "Risk",
    "Risk score = sum of likelihood x impact (high 3, medium 2, low 1; unknown = medium), times the integration's criticality weight (not set = medium).",
)
owners = ui.query("owner_risk")
heat = ui.query("risk_heatmap")
incidents = ui.query("incidents_by_mode")

heavy = owners[(owners["risk_share"] > 0.3) | (owners["high_criticality_share"] > 0.3)]
for row in heavy.itertuples():
    st.warning(
        f"**{ui.md(row.owner)}** holds {row.risk_share:.0%} of the catalogue's risk score and {row.high_criticality_share:.0%} of its high-criticality integrations.",
    )

ui.chart(
    charts.owner_share(owners, "Share of the catalogue's risk score per owner (dashed line: 30%)"),
    key="owners",
)
left, right = st.columns(2)
with left:
    ui.chart(charts.risk_heatmap(heat, "Risk score per owner and category"), key="heat")
with right:
    ui.chart(charts.incidents_by_mode(incidents, "Incidents per failure mode"), key="incidents")
st.subheader("Owners")
ui.table(
    owners,
    "owner-risk",
    column_config={
        "risk_share": st.column_config.NumberColumn("share of risk", format="percent"),
        "high_criticality_share": st.column_config.NumberColumn(
            "share of high criticality", format="percent"
        ),
    },
)
