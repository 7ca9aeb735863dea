-- One integration's risk score and criticality weight.
SELECT raw_score, criticality_weight, risk_score FROM integration_risk WHERE integration_id = $id;
