"""The catalogue record, v1.1 (see the shared spec, record-format.md).

Every field carries a description and an example so `catalogue schema` gives
editors completion and hover help. Only id, name, type, partner and direction
are required; every other missing field is a gap the dashboard shows.
"""

from __future__ import annotations

from functools import cache
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StringConstraints,
)

from .values import (  # noqa: F401 (re-exported: the record's value types)
    MAX_TEXT,
    PARTNER_DATE_FORMS,
    Date,
    Days,
    Link,
    Months,
    OptDate,
    OptText,
    PartnerDate,
    RawFloat,
    RawInt,
    SchemaAlso,
    Text,
    TextList,
    _as_list,
    _date_only,
    first_day,
    is_approximate,
    none_as_empty,
    number_text,
)

PartnerType = Literal["shop", "carrier"]
Direction = Literal["inbound", "outbound"]
Level3 = Literal["high", "medium", "low"]
Stage = Literal["planned", "pilot", "hypercare", "live", "sunsetting", "retired"]
AuthMethod = Literal["oauth", "api_key", "mtls", "token", "basic", "none"]
VersionStatus = Literal["current", "supported", "deprecated", "retired"]
TestEnvKind = Literal["sandbox", "staging", "none", "not_offered"]
OnSunset = Literal["stops", "falls_forward", "unsupported"]
Transport = Literal["http", "queue"]
Severity = Literal["sev1", "sev2", "sev3", "sev4"]
Category = Literal[
    "auth_expiry",
    "rate_limiting",
    "timeouts_5xx",
    "schema_drift",
    "webhook_gaps",
    "api_changes",
    "contract_drift",
    "peak_load",
    "other",
]

CATEGORIES: tuple[str, ...] = Category.__args__  # type: ignore[attr-defined]

SLUG_RE = r"^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$"


class Strict(BaseModel):
    # Unknown keys are reported by the loader as warnings (with a suggestion);
    # the model itself ignores them so a typo never loses the rest of a record.
    model_config = ConfigDict(extra="ignore", frozen=False, str_strip_whitespace=True)


class _Rotation(Strict):
    rotate_every_days: Days | None = Field(
        None,
        description="(v1.1) The partner or our policy requires rotation this often, in days; "
        "with rotated_on, the next rotation is a deadline.",
        examples=[180],
    )
    rotated_on: OptDate = Field(
        None,
        description="(v1.1) Last rotation (an exact date); the next one is due rotated_on + "
        "rotate_every_days.",
        examples=["2026-09-01"],
    )


class Credential(_Rotation):
    name: Text = Field(
        description="(v1.1) Which credential this is.", examples=["label signing key"]
    )
    method: AuthMethod | None = Field(
        None, description="(v1.1) How this credential authenticates.", examples=["mtls"]
    )
    expires_on: PartnerDate = Field(
        None,
        description="(v1.1) When this credential expires (a deadline the dashboard watches); "
        "a month or quarter is approximate.",
        examples=["2027-05-01"],
    )


class Auth(_Rotation):
    method: AuthMethod | None = Field(
        None, description="How we authenticate with the partner.", examples=["api_key"]
    )
    expires_on: PartnerDate = Field(
        None,
        description="When the certificate or token expires (a deadline the dashboard watches); "
        "a month or quarter is approximate.",
        examples=["2027-02-01"],
    )
    credentials: Annotated[
        list[Credential], BeforeValidator(none_as_empty), SchemaAlso(null=True)
    ] = Field(
        default_factory=list,
        description="(v1.1) Further credentials, each with its own expiry and rotation (nothing "
        "is inherited from auth).",
        examples=[[{"name": "label signing key", "method": "mtls", "expires_on": "2027-05-01"}]],
    )


class Webhooks(Strict):
    signature_verification: bool | None = Field(
        None,
        description="True when we verify the partner's webhook signatures.",
        examples=[True],
    )
    replay: OptText = Field(
        None,
        description="How missed deliveries are replayed.",
        examples=["partner re-sends for 72 h"],
    )
    delivery: OptText = Field(
        None,
        description="Delivery guarantees (at-least-once, ordering, duplicates).",
        examples=["at least once, may duplicate"],
    )
    transport: Transport | None = Field(
        None,
        description="(v1.1) http (default), or queue: the partner delivers into a queue service "
        "(SQS, EventBridge, Pub/Sub) whose access control we own, so payload signatures do not apply.",
        examples=["http"],
    )


class Contract(Strict):
    endpoints: TextList = Field(
        default_factory=list,
        description="Key endpoints or events.",
        examples=[["POST /v2/labels", "GET /v2/tracking/{id}"]],
    )
    schema_versioning: OptText = Field(
        None, description="How the payload schema is versioned.", examples=["version in URL path"]
    )
    idempotency: OptText = Field(
        None,
        description="How write operations are made idempotent.",
        examples=["Idempotency-Key header on POST /v2/labels"],
    )
    retry_backoff: OptText = Field(
        None, description="Retry and backoff rules.", examples=["exponential, 5 tries, max 2 min"]
    )
    rate_limit: OptText = Field(
        None,
        description="Rate limit behaviour (429).",
        examples=["429 with Retry-After; 50 rps per account"],
    )
    error_mapping: OptText = Field(
        None,
        description="How partner errors map to ours.",
        examples=["4xx -> user error, 5xx -> retry"],
    )
    webhooks: Webhooks | None = Field(
        None, description="Webhook delivery, signature verification and replay."
    )


class Slo(Strict):
    success_rate_pct: Annotated[float, Field(ge=0, le=100, allow_inf_nan=False)] | None = Field(
        None, description="Success-rate target in percent.", examples=[99.5]
    )
    latency_p95_ms: Annotated[float, Field(gt=0, allow_inf_nan=False)] | None = Field(
        None, description="p95 latency target in milliseconds.", examples=[800]
    )
    freshness_minutes: Annotated[float, Field(ge=0, allow_inf_nan=False)] | None = Field(
        None, description="For events: how stale data may get, in minutes.", examples=[15]
    )


class Operations(Strict):
    slo: Slo | None = Field(None, description="Service level objectives.")
    slo_notes: OptText = Field(
        None,
        description="SLA/SLO notes as free text (the table's 'SLA/SLO notes' column).",
        examples=["p95 order ingest latency target"],
    )
    monitoring: OptText = Field(
        None,
        description="Monitoring as free text (the table's 'Monitoring' column).",
        examples=["Dashboard + alerts"],
    )
    dashboard: Link = Field(
        None,
        description="Link to the dashboard.",
        examples=["https://grafana.example.com/d/carrier-a"],
    )
    alert_rules: TextList = Field(
        default_factory=list,
        description="Alert rules with thresholds.",
        examples=[["label 5xx rate > 2% for 10 min"]],
    )
    runbook: Link = Field(
        None,
        description="Link to the runbook: first triage steps and mitigations.",
        examples=["https://wiki.example.com/runbooks/carrier-a"],
    )
    on_call: OptText = Field(
        None, description="Who responds (on-call rotation).", examples=["fulfilment-primary"]
    )
    escalation: OptText = Field(
        None, description="Who escalates.", examples=["partner manager, then head of fulfilment"]
    )


class Version(Strict):
    version: Text = Field(description="The partner API version.", examples=["v2"])
    status: VersionStatus = Field(
        description="Support status of this version.", examples=["current"]
    )
    released_on: PartnerDate = Field(
        None,
        description="Release date (a month or quarter is approximate).",
        examples=["2025-04-01"],
    )
    deprecated_on: PartnerDate = Field(
        None,
        description="Date the version is (or was) deprecated (a month or quarter is approximate).",
        examples=["2026-06-01"],
    )
    sunset_on: PartnerDate = Field(
        None,
        description="The version's sunset day (a month or quarter is approximate); "
        "on_sunset says what happens then.",
        examples=["2027-01-31"],
    )
    on_sunset: OnSunset | None = Field(
        None,
        description="(v1.1) What happens to us at the sunset: stops (calls fail; the default), "
        "falls_forward (the partner silently serves a newer version) or unsupported (it keeps "
        "working without security fixes or support).",
        examples=["stops"],
    )
    source: Link = Field(
        None,
        description="(v1.1) The partner's announcement of this version's dates.",
        examples=["https://developer.example.com/changelog/v1-sunset"],
    )


class PlannedChange(Strict):
    date: PartnerDate = Field(
        None,
        description="When the change happens (a month or quarter is approximate).",
        examples=["2027-03-01"],
    )
    summary: OptText = Field(
        None, description="What changes.", examples=["partner moves manifests to v3"]
    )
    breaking: bool = Field(False, description="True when the change breaks us.", examples=[True])
    done: bool = Field(
        False,
        description="(v1.1) True once we have made the change: a done change is history.",
        examples=[False],
    )
    source: Link = Field(
        None,
        description="(v1.1) The partner's announcement of the change.",
        examples=["https://developer.example.com/changelog/manifests-v3"],
    )


class TestEnvironment(Strict):
    kind: TestEnvKind | None = Field(
        None,
        description="Sandbox or staging availability; (v1.1) not_offered: the partner has none.",
        examples=["sandbox"],
    )
    notes: OptText = Field(
        None, description="Limitations.", examples=["no manifest endpoint in the sandbox"]
    )


class Lifecycle(Strict):
    versions: Annotated[list[Version], BeforeValidator(none_as_empty), SchemaAlso(null=True)] = (
        Field(default_factory=list, description="Supported versions: current and previous.")
    )
    deprecation_policy: OptText = Field(
        None,
        description="How breaking changes are handled.",
        examples=["12 months notice, 6 months overlap"],
    )
    support_months: Months | None = Field(
        None,
        description="(v1.1) Each version is supported this many months after its released_on "
        "(a derived sunset where sunset_on is not given).",
        examples=[12],
    )
    support_months_after_successor: Months | None = Field(
        None,
        description="(v1.1) ... or this many months after the next version's released_on; "
        "where both apply the later date counts.",
        examples=[24],
    )
    migration_plan: Link = Field(
        None,
        description="Link to the migration plan for breaking changes.",
        examples=["https://wiki.example.com/carrier-a/v1-to-v2"],
    )
    planned_changes: Annotated[
        list[PlannedChange], BeforeValidator(none_as_empty), SchemaAlso(null=True)
    ] = Field(default_factory=list, description="Upcoming partner releases or contract shifts.")
    test_environment: TestEnvironment | None = Field(
        None, description="Test environment availability."
    )


class PartnerLinks(Strict):
    status_page: Link = Field(
        None,
        description="(v1.1) The partner's status page.",
        examples=["https://status.example.com"],
    )
    changelog: Link = Field(
        None,
        description="(v1.1) The partner's changelog.",
        examples=["https://developer.example.com/changelog"],
    )
    deprecations: Link = Field(
        None,
        description="(v1.1) The partner's deprecation notices.",
        examples=["https://developer.example.com/deprecations"],
    )
    developer_portal: Link = Field(
        None,
        description="(v1.1) The partner's developer portal.",
        examples=["https://developer.example.com"],
    )


class Risk(Strict):
    category: Category = Field(description="Failure-mode category.", examples=["timeouts_5xx"])
    summary: OptText = Field(
        None, description="What the risk is.", examples=["timeout spikes at the evening peak"]
    )
    likelihood: Level3 | None = Field(
        None, description="How likely (missing scores as medium).", examples=["high"]
    )
    impact: Level3 | None = Field(
        None, description="How bad (missing scores as medium).", examples=["high"]
    )


class Incident(Strict):
    date: Date = Field(description="When it happened.", examples=["2026-10-12"])
    failure_mode: Category = Field(description="Failure-mode category.", examples=["timeouts_5xx"])
    severity: Severity | None = Field(None, description="Severity.", examples=["sev2"])
    summary: OptText = Field(
        None, description="What happened.", examples=["labels failed for 40 min"]
    )
    postmortem: Link = Field(
        None,
        description="Link to the postmortem.",
        examples=["https://wiki.example.com/pm/2026-10-12"],
    )


def _directions(value: Any) -> Any:
    value = _as_list(value)
    if isinstance(value, list):
        seen: list[Any] = []
        for item in value:
            if item not in seen:
                seen.append(item)
        return seen
    return value


class Integration(Strict):
    """One integration with a shop or carrier partner."""

    id: Annotated[
        str, StringConstraints(pattern=SLUG_RE, max_length=100), BeforeValidator(number_text)
    ] = Field(description="Unique slug: lowercase a-z, 0-9 and '-'.", examples=["carrier-a"])
    name: Text = Field(description="Display name.", examples=["Carrier A"])
    type: PartnerType = Field(description="Partner type.", examples=["carrier"])
    partner: Text = Field(description="The company on the other side.", examples=["Carrier A"])
    direction: Annotated[
        list[Direction], BeforeValidator(_directions), Field(min_length=1), SchemaAlso(one=True)
    ] = Field(
        description="inbound = partner pushes to us (webhooks); outbound = we call the partner.",
        examples=[["outbound", "inbound"]],
    )
    criticality: Level3 | None = Field(
        None, description="Business criticality; missing = not yet classified.", examples=["high"]
    )
    stage: Stage | None = Field(
        None, description="Rollout stage; missing means live.", examples=["live"]
    )
    business_purpose: OptText = Field(
        None, description="Why it exists.", examples=["Create labels and receive tracking updates"]
    )
    customers_impacted: TextList = Field(
        default_factory=list,
        description="Customers or sites impacted when it fails.",
        examples=[["eu-sites", "enterprise-tier"]],
    )
    critical_flows: TextList = Field(
        default_factory=list,
        description="Business flows that depend on it.",
        examples=[["label create", "tracking updates"]],
    )
    owner: OptText = Field(
        None,
        description="The named owner: a team or a person, not a role such as 'Eng'.",
        examples=["Team Fulfilment"],
    )
    support_contact: OptText = Field(
        None,
        description="How to reach the partner's support.",
        examples=["Carrier ticketing portal"],
    )
    reviewed_on: OptDate = Field(
        None,
        description="Last time the owner checked this record is still true.",
        examples=["2026-11-02"],
    )
    auth: Auth | None = Field(None, description="Authentication.")
    contract: Contract | None = Field(None, description="Contracts and endpoints.")
    operations: Operations | None = Field(None, description="Operational expectations.")
    lifecycle: Lifecycle | None = Field(None, description="Lifecycle management.")
    partner_links: PartnerLinks | None = Field(
        None, description="(v1.1) The partner's public pages, shown on the record page."
    )
    risks: Annotated[list[Risk], BeforeValidator(none_as_empty), SchemaAlso(null=True)] = Field(
        default_factory=list, description="Known risks."
    )
    incidents: Annotated[list[Incident], BeforeValidator(none_as_empty), SchemaAlso(null=True)] = (
        Field(default_factory=list, description="Past incidents.")
    )


def json_schema() -> dict[str, Any]:
    schema = Integration.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "Integration catalogue record v1.1"
    return schema


@cache
def known_keys(model: type[BaseModel]) -> dict[str, type[BaseModel] | None]:
    """Field name -> nested model (if the field holds one or a list of them)."""
    out: dict[str, type[BaseModel] | None] = {}
    for name, info in model.model_fields.items():
        out[name] = _nested_model(info.annotation)
    return out


def _nested_model(annotation: Any) -> type[BaseModel] | None:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in getattr(annotation, "__args__", ()) or ():
        found = _nested_model(arg)
        if found is not None:
            return found
    return None
