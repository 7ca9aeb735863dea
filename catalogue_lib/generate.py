"""Realistic synthetic catalogues: the sample in data/ and large ones for benchmarks.

Deterministic for a given seed. The records are fictional: partner names are
real companies only so that the dashboard reads like a real platform's.
"""

from __future__ import annotations

import datetime as dt
import random
from pathlib import Path
from typing import Any

import yaml

from .load import slugify

SHOPS = [
    ("Shopify", "Shopify Orders"),
    ("Shopify", "Shopify Fulfillment Webhooks"),
    ("Amazon", "Amazon SP-API"),
    ("eBay", "eBay Sell API"),
    ("WooCommerce", "WooCommerce Plugin"),
    ("Adobe", "Adobe Commerce Connector"),
    ("BigCommerce", "BigCommerce Connector"),
    ("Zalando", "Zalando Partner Program"),
    ("bol.com", "bol.com Retailer API"),
    ("Etsy", "Etsy Open API"),
    ("Otto", "OTTO Market"),
    ("Allegro", "Allegro REST API"),
    ("Kaufland", "Kaufland Marketplace"),
    ("Cdiscount", "Cdiscount Marketplace"),
    ("Walmart", "Walmart Marketplace"),
    ("Shopware", "Shopware 6 App"),
    ("PrestaShop", "PrestaShop Module"),
    ("Wix", "Wix eCommerce"),
    ("Salesforce", "Salesforce Commerce Cloud"),
    ("commercetools", "commercetools Connector"),
    ("Mirakl", "Mirakl Marketplaces"),
    ("Squarespace", "Squarespace Commerce"),
]
CARRIERS = [
    ("DHL", "DHL Parcel"),
    ("DHL", "DHL Express"),
    ("UPS", "UPS Shipping API"),
    ("FedEx", "FedEx Ship API"),
    ("DPD", "DPD Shipper"),
    ("GLS", "GLS ShipIT"),
    ("PostNL", "PostNL Send & Track"),
    ("Royal Mail", "Royal Mail Click & Drop"),
    ("USPS", "USPS Labels"),
    ("Colissimo", "Colissimo WS"),
    ("InPost", "InPost ShipX"),
    ("Evri", "Evri Parcels"),
    ("bpost", "bpost Shipping Manager"),
    ("PostNord", "PostNord Booking"),
    ("Correos", "Correos Preregistro"),
    ("Canada Post", "Canada Post Shipping"),
    ("Australia Post", "Australia Post eParcel"),
    ("Poste Italiane", "Poste Delivery Business"),
    ("Chronopost", "Chronopost Shipping"),
    ("DHL", "Deutsche Post Internetmarke"),
    ("UPS", "UPS Tracking Webhooks"),
    ("Sendcloud", "Sendcloud Returns"),
]
OWNERS = {
    "shop": ["Team Marketplaces", "Team Shop Platforms", "Team Checkout", "Priya Shah"],
    "carrier": ["Team Fulfilment", "Team Carrier Network", "Team Returns", "Marco Rossi"],
}
ROLE_OWNERS = ["Eng", "PO/Eng", "TBD"]
SHOP_FLOWS = [
    "orders",
    "cancellations",
    "status updates",
    "refunds",
    "inventory sync",
    "price sync",
]
CARRIER_FLOWS = ["label create", "tracking updates", "manifests", "pickup booking", "returns"]
SHOP_RISKS = [
    "rate_limiting",
    "api_changes",
    "schema_drift",
    "webhook_gaps",
    "peak_load",
    "contract_drift",
]
CARRIER_RISKS = [
    "timeouts_5xx",
    "auth_expiry",
    "peak_load",
    "api_changes",
    "schema_drift",
    "rate_limiting",
]
RISK_TEXT = {
    "rate_limiting": "429s during flash sales throttle order ingest",
    "api_changes": "partner ships breaking API changes with short notice",
    "schema_drift": "partner adds fields without versioning",
    "webhook_gaps": "webhook deliveries dropped or duplicated",
    "peak_load": "peak season volume exceeds partner capacity",
    "contract_drift": "behaviour drifts from the documented contract",
    "timeouts_5xx": "timeout spikes at the evening label peak",
    "auth_expiry": "client certificate renewed by hand",
    "other": "single engineer knows the integration",
}


def _day(base: dt.date, lo: int, hi: int, rnd: random.Random) -> dt.date:
    return base + dt.timedelta(days=rnd.randint(lo, hi))


def make_record(
    partner: str, name: str, kind: str, rnd: random.Random, base: dt.date, ident: str | None = None
) -> dict[str, Any]:
    """One plausible record. `maturity` decides how many gaps it has."""
    maturity = rnd.random()
    ident = ident or slugify(name)
    shop = kind == "shop"
    role_owner = rnd.random() < 0.08
    owner = rnd.choice(ROLE_OWNERS) if role_owner else rnd.choice(OWNERS[kind])
    direction = (
        rnd.choice([["inbound", "outbound"], ["inbound"], ["outbound", "inbound"]])
        if shop
        else rnd.choice([["outbound", "inbound"], ["outbound"], ["outbound"]])
    )
    criticality = rnd.choices(["high", "medium", "low", None], [4, 4, 2, 1])[0]
    stage = rnd.choices(
        ["live", "pilot", "hypercare", "planned", "sunsetting", "retired", None],
        [30, 3, 3, 2, 2, 1, 6],
    )[0]
    flows = rnd.sample(SHOP_FLOWS if shop else CARRIER_FLOWS, rnd.randint(1, 3))
    rec: dict[str, Any] = {
        "id": ident,
        "name": name,
        "type": kind,
        "partner": partner,
        "direction": direction,
    }
    if criticality:
        rec["criticality"] = criticality
    if stage:
        rec["stage"] = stage
    rec["business_purpose"] = (
        f"Import {flows[0]} from {partner} and push fulfilment status back"
        if shop
        else f"{flows[0].capitalize()} with {partner} for parcels we ship"
    )
    rec["customers_impacted"] = rnd.sample(
        ["eu-sites", "uk-sites", "us-sites", "enterprise-tier", "smb-tier", "marketplace-sellers"],
        rnd.randint(1, 2),
    )
    rec["critical_flows"] = flows
    if not (maturity < 0.1 and rnd.random() < 0.5):
        rec["owner"] = owner
    if maturity > 0.15:
        rec["support_contact"] = rnd.choice(
            [f"{partner} partner portal", f"{partner} account manager", f"{partner} ticketing"]
        )
    rec["reviewed_on"] = _day(base, -400, 0, rnd) if maturity > 0.2 else _day(base, -700, -200, rnd)

    method = rnd.choice(
        ["oauth", "oauth", "token"] if shop else ["api_key", "mtls", "oauth", "basic"]
    )
    auth: dict[str, Any] = {"method": method}
    if method in ("mtls", "token", "api_key") and rnd.random() < 0.7:
        auth["expires_on"] = _day(base, -40, 760, rnd)
    rec["auth"] = auth

    slug = slugify(partner)
    contract: dict[str, Any] = {
        "endpoints": (
            [f"GET /orders (from {partner})", "POST /fulfillments"]
            if shop
            else ["POST /shipments", "GET /tracking/{id}"]
        )
    }
    if maturity > 0.3:
        contract["schema_versioning"] = rnd.choice(["version in URL path", "header Api-Version"])
    if maturity > 0.35 or rnd.random() < 0.3:
        contract["idempotency"] = rnd.choice(
            ["Idempotency-Key header on every POST", "dedupe on partner order id"]
        )
    if maturity > 0.25:
        contract["retry_backoff"] = "exponential, 5 tries, max 2 min"
        contract["rate_limit"] = f"429 with Retry-After; {rnd.choice([10, 20, 50, 100])} rps"
    if maturity > 0.5:
        contract["error_mapping"] = "4xx -> user error, 5xx -> retry"
    if "inbound" in direction:
        contract["webhooks"] = {
            "signature_verification": maturity > 0.4,
            "replay": rnd.choice(
                ["partner re-sends for 72 h", "manual replay from partner console"]
            ),
        }
    rec["contract"] = contract

    ops: dict[str, Any] = {}
    if maturity > 0.2:
        ops["slo"] = {"success_rate_pct": rnd.choice([99.0, 99.5, 99.9])}
        if rnd.random() < 0.7:
            ops["slo"]["latency_p95_ms"] = rnd.choice([300, 500, 800, 1500])
        if "inbound" in direction and rnd.random() < 0.6:
            ops["slo"]["freshness_minutes"] = rnd.choice([5, 15, 30])
    if maturity > 0.18:
        ops["dashboard"] = f"https://grafana.example.com/d/{ident}"
    if maturity > 0.25:
        ops["alert_rules"] = [f"{flows[0]} error rate > 2% for 10 min"]
    if maturity > 0.4:
        ops["runbook"] = f"https://wiki.example.com/runbooks/{ident}"
    if maturity > 0.33:
        ops["on_call"] = f"{slugify(owner)}-primary"
        ops["escalation"] = "partner manager, then head of integrations"
    if ops:
        rec["operations"] = ops

    lifecycle: dict[str, Any] = {}
    major = rnd.randint(1, 4)
    versions: list[dict[str, Any]] = []
    if rnd.random() < 0.92:
        versions.append(
            {
                "version": f"v{major + 1}",
                "status": "current" if rnd.random() < 0.9 else "supported",
                "released_on": _day(base, -700, -60, rnd),
            }
        )
        roll = rnd.random()
        if roll < 0.55:
            deprecated = _day(base, -300, 200, rnd)
            versions.append(
                {
                    "version": f"v{major}",
                    "status": "deprecated" if deprecated <= base else "supported",
                    "deprecated_on": deprecated,
                    "sunset_on": deprecated + dt.timedelta(days=rnd.choice([180, 270, 365, 540])),
                }
            )
        if roll < 0.15 and major > 1:
            versions.append(
                {
                    "version": f"v{major - 1}",
                    "status": rnd.choice(["deprecated", "supported"]),
                    "deprecated_on": _day(base, -500, -100, rnd),
                    "sunset_on": _day(base, -60, 120, rnd),
                }
            )
    if versions:
        lifecycle["versions"] = versions
    if maturity > 0.3:
        lifecycle["deprecation_policy"] = rnd.choice(
            [
                "12 months notice, 6 months overlap",
                "6 months notice",
                "partner announces 90 days ahead",
            ]
        )
    if rnd.random() < 0.45:
        breaking = rnd.random() < 0.6
        lifecycle["planned_changes"] = [
            {
                "date": _day(base, 15, 740, rnd),
                "summary": rnd.choice(
                    [
                        f"{partner} retires v{major} endpoints",
                        f"{partner} moves to OAuth 2.1",
                        f"{partner} adds mandatory customs fields",
                        f"{partner} changes webhook payload format",
                    ]
                ),
                "breaking": breaking,
            }
        ]
        if breaking and maturity > 0.45:
            lifecycle["migration_plan"] = f"https://wiki.example.com/{ident}/migration"
    if maturity > 0.3 or rnd.random() < 0.3:
        kind_env = rnd.choice(["sandbox", "sandbox", "staging", "none"])
        lifecycle["test_environment"] = {"kind": kind_env}
        if kind_env != "none" and rnd.random() < 0.4:
            lifecycle["test_environment"]["notes"] = "sandbox lags production by one release"
    if lifecycle:
        rec["lifecycle"] = lifecycle

    cats = SHOP_RISKS if shop else CARRIER_RISKS
    rec["risks"] = [
        {
            "category": c,
            "summary": RISK_TEXT[c],
            "likelihood": rnd.choice(["high", "medium", "low"]),
            "impact": rnd.choice(["high", "medium", "low"]),
        }
        for c in rnd.sample(cats, rnd.randint(0, 3))
    ]
    incidents = []
    for _ in range(rnd.choices([0, 1, 2, 3], [5, 3, 2, 1])[0]):
        mode = rnd.choice(cats)
        when = _day(base, -330, -1, rnd)
        incident = {
            "date": when,
            "failure_mode": mode,
            "severity": rnd.choices(["sev1", "sev2", "sev3", "sev4"], [1, 3, 4, 2])[0],
            "summary": RISK_TEXT[mode].split(" ")[0].capitalize() + f" incident on {when:%d %b}",
        }
        if rnd.random() < 0.6:
            incident["postmortem"] = f"https://wiki.example.com/pm/{when.isoformat()}-{slug}"
        incidents.append(incident)
    rec["incidents"] = sorted(incidents, key=lambda i: i["date"])
    return {k: v for k, v in rec.items() if v not in ([], None)}


def sample_records(seed: int = 7, base: dt.date = dt.date(2026, 11, 1)) -> list[dict[str, Any]]:
    rnd = random.Random(seed)
    out = [make_record(p, n, "shop", rnd, base) for p, n in SHOPS]
    out += [make_record(p, n, "carrier", rnd, base) for p, n in CARRIERS]
    return out


def synthetic_records(n: int, seed: int = 1, base: dt.date | None = None) -> list[dict[str, Any]]:
    """n records: the sample's partners crossed with countries and services."""
    rnd = random.Random(seed)
    base = base or dt.date.today()
    countries = ["de", "fr", "uk", "nl", "es", "it", "pl", "se", "us", "ca", "au", "be", "at", "ch"]
    pool = [(p, nm, "shop") for p, nm in SHOPS] + [(p, nm, "carrier") for p, nm in CARRIERS]
    out = []
    for i in range(n):
        partner, name, kind = pool[i % len(pool)]
        country = countries[(i // len(pool)) % len(countries)]
        series = i // (len(pool) * len(countries))
        label = f"{name} {country.upper()}" + (f" {series + 1}" if series else "")
        out.append(make_record(partner, label, kind, rnd, base, ident=slugify(label)))
    return out


def write_records(records: list[dict[str, Any]], out: Path, schema_ref: str | None = None) -> int:
    out.mkdir(parents=True, exist_ok=True)
    for rec in records:
        head = f"# yaml-language-server: $schema={schema_ref}\n" if schema_ref else ""
        text = yaml.safe_dump(rec, sort_keys=False, allow_unicode=True, width=100)
        (out / f"{rec['id']}.yaml").write_text(head + text, encoding="utf-8")
    return len(records)
