"""Credentials never enter the catalogue: every kind the review found, escaped forms, the
configuration files, no false alarms on text about credentials, and linear-time matching.

Test values are built by concatenation so that no scanner mistakes this file for a leak."""

from __future__ import annotations

import json

import pytest
import yaml

from catalogue_lib import secrets
from catalogue_lib.cli import main
from catalogue_lib.load import load_paths

from .conftest import valid_record
from .test_scorecard import BASE, BRONZE, catalogue

HEX32 = "0123456789abcdef" * 2
B64 = "Zm9vYmFyYmF6cXV4" * 6

TRUE_POSITIVES = [
    ("Shopify access token", "shpat_" + HEX32),
    ("Shopify shared secret", "shpss_" + HEX32),
    ("Shopify custom app token", "shpca_" + HEX32),
    ("Shopify private app password", "shppa_" + HEX32),
    ("GitLab token", "glpat-" + "Ab3dEf6hIj9lMn2pQr5t"),
    ("OpenAI project key", "sk-proj-" + "Ab3dEf6hIj9lMn2pQr5tUv8xYz1" * 2),
    ("OpenAI key", "sk-" + "Ab3dEf6hIj9lMn2pQr5tUv8xYz1aB4cD5eF6gH7iJ"),
    ("Anthropic key", "sk-ant-api03-" + "Ab3dEf6hIj9lMn2pQr5tUv8xYz1" * 3),
    (
        "Slack webhook",
        "https://hooks.slack.com/services/" + "T0123ABCD/B0123ABCD/" + "aB3dEf6hIj9lMn2pQr5tUv8x",
    ),
    ("AWS secret key", "aws_secret_access_key=" + "wJalrXUtnFEMI/K7MDENG/bPxRfiCY" + "EXAMPLEKEY"),
    (
        "SendGrid key",
        "SG." + "aB3dEf6hIj9lMn2pQr5tUv" + "." + "aB3dEf6hIj9lMn2pQr5tUv8xYz1aB4cD5eF6gH7iJ0kL",
    ),
    ("Stripe webhook secret", "whsec_" + "aB3dEf6hIj9lMn2pQr5tUv8xYz1aB4cD"),
    ("Azure account key", "DefaultEndpointsProtocol=https;AccountName=x;AccountKey=" + B64 + "=="),
    ("npm token", "npm_" + "aB3dEf6hIj9lMn2pQr5tUv8xYz1aB4cD5eF6"),
    ("Google OAuth token", "ya29." + "a0AfB_byC3dEf6hIj9lMn2pQr5tUv8xYz1"),
    ("Basic auth header", "Authorization: Basic " + "dXNlcjpwYXNzd29yZDEyMw=="),
    ("token in a URL", "https://api.example.com/v1/orders?token=" + "a8F3kL9qZ2xW7pR4"),
    ("token in a URL", "https://api.example.com/cb?foo=1&access_token=" + "a8F3kL9qZ2xW7pR4"),
]

TRUE_NEGATIVES = [
    "forgot password: https://portal.example.com/account/reset",
    "POST /oauth/token (Bearer client-credentials-grant)",
    "HMAC signing secret: stored-in-vault",
    "API key rotated yearly",
    "Bearer tokens expire after 1 h",
    "https://portal.example.com/login",
    "see password policy",
    "token: see the vault, path integrations/carrier-a",
    "https://api.example.com/v1/orders?page=2&sort=desc",
    "Shopify app uses OAuth; tokens start with shpat_ and are kept in the vault",
    "task-management-service-for-carriers",
    "Authorization: Basic auth (user from the vault)",
]


def _load_one(tmp_path, value):
    (tmp_path / "leak.yaml").write_text(yaml.safe_dump(valid_record(support_contact=value)))
    (tmp_path / "ok.yaml").write_text(yaml.safe_dump(valid_record(id="clean")))
    return load_paths([tmp_path])


@pytest.mark.parametrize(("kind", "value"), TRUE_POSITIVES, ids=[k for k, _ in TRUE_POSITIVES])
def test_rejects_a_credential_of_every_kind(tmp_path, kind, value):
    res = _load_one(tmp_path, value)
    assert [r.id for r in res.records] == ["clean"]
    (problem,) = res.problems
    assert "support_contact: looks like" in problem.message
    assert value not in str(problem) and value[-12:] not in str(problem)


@pytest.mark.parametrize("value", TRUE_NEGATIVES)
def test_accepts_text_about_credentials(tmp_path, value):
    res = _load_one(tmp_path, value)
    assert res.problems == [], [str(p) for p in res.problems]
    assert len(res.records) == 2


@pytest.mark.parametrize(
    ("name", "text"),
    [
        # YAML double-quoted escapes: \x41 is "A", so the value is an AWS access key
        ("escaped.yaml", 'owner: "\\x41KIAIOSFODNN7EXAMPL' + 'E"\n'),
        ("unicode.yaml", 'owner: "\\u0041KIAIOSFODNN7EXAMPL' + 'E"\n'),
        # JSON: \u0070 is "p", so the value is a GitHub token
        ("escaped.json", None),
    ],
)
def test_rejects_a_credential_written_with_escapes(tmp_path, name, text):
    if name.endswith(".json"):
        rec = valid_record()
        body = (
            json.dumps(rec)[:-1]
            + ', "owner": "gh\\u0070_'
            + "abcdefghijklmnopqrstuvwxyz0123456789"
            + '"}'
        )
        body = body.replace('"owner": "Team Fulfilment", ', "")
    else:
        base = yaml.safe_dump(valid_record(owner=None), sort_keys=False)
        body = base + text
    (tmp_path / name).write_text(body)
    res = load_paths([tmp_path])
    assert res.records == []
    assert any("owner: looks like" in p.message for p in res.problems), [
        str(p) for p in res.problems
    ]


def test_the_prefilter_sees_escaped_credentials():
    assert secrets.may_contain_secrets('owner: "\\x41KIAIOSFODNN7EXAMPL' + 'E"')
    assert secrets.may_contain_secrets('{"owner": "gh\\u0070_' + "a" * 36 + '"}')


@pytest.mark.parametrize(
    ("kind", "value"), TRUE_POSITIVES[:6], ids=[k for k, _ in TRUE_POSITIVES[:6]]
)
def test_the_prefilter_never_misses_a_credential(kind, value):
    assert secrets.may_contain_secrets(f"support_contact: {value}\n")


LEAK = "xoxb-" + "123456789012-abcdefABCDEF1234"


def test_a_token_in_a_scorecard_waiver_reaches_no_report(tmp_path, capsys):
    rec = {**BASE, **BRONZE, "operations": {"dashboard": "https://g.example.com/d"}}
    waiver = {
        "integration": "x",
        "check": "runbook",
        "reason": f"temporary, ask bot {LEAK}",
        "approved_by": "Head of Eng",
        "expires_on": "2027-03-01",
    }
    cat = catalogue(tmp_path, [rec], {"waivers": [waiver]})
    errors = [str(p) for p in cat.result.errors]
    assert any("scorecard.yaml" in e and "looks like" in e for e in errors), errors
    folder = str(tmp_path / "cat")
    for argv in (
        ["backlog", folder, "--as-of", "2026-11-28", "--format", "csv"],
        ["backlog", folder, "--as-of", "2026-11-28", "--format", "json"],
        ["digest", folder, "--owner", "Team X", "--as-of", "2026-11-28"],
        ["validate", folder],
        ["export", folder, "--format", "csv"],
    ):
        main(argv)
        out = capsys.readouterr()
        assert LEAK not in out.out + out.err, argv
    waivers = cat.con.execute("SELECT count(*) FROM waivers").fetchone()[0]
    assert waivers == 0  # the default scorecard (no waivers) is in force


def test_a_token_in_owners_yaml_is_refused(tmp_path):
    owners = [{"team": "Team X", "lead": "Ana", "channel": LEAK}]
    cat = catalogue(tmp_path, [{**BASE, **BRONZE}], owners=owners)
    assert any("owners.yaml" in str(p) and "looks like" in str(p) for p in cat.result.errors)
    assert cat.owners is None
    assert LEAK not in "\n".join(str(p) for p in cat.result.problems)


def test_every_pattern_is_linear_time():
    """google-re2 guarantees linear-time matching: no pattern may fall back to `re`."""
    import re2

    assert secrets.PATTERNS, "no patterns"
    assert all(isinstance(rx, re2._Regexp) for _, rx, _ in secrets.COMPILED)


@pytest.mark.parametrize(
    "value",
    [
        "a." * 65536 + "://x@y",  # the password-in-URL pattern backtracked from every dot
        "a:" * 65536 + "://x@y",
        "x://" + "a:" * 65536 + "@",
        "password" + " =" * 32768,
        "Bearer " + "a" * 131072 + "!",
    ],
    ids=["dots", "colons", "scheme-colons", "assignments", "long-bearer"],
)
def test_adversarial_128_kib_values_are_scanned_to_the_end(tmp_path, value):
    res = _load_one(tmp_path, value)
    # the scan runs to the end: a credential in the value refuses the record; otherwise the
    # value is refused for its length (over 10,000 characters) and, since record format v1.1
    # (a bad optional value keeps its record), the record loads without it
    if list(secrets.find_secrets({"support_contact": value})):
        assert [r.id for r in res.records] == ["clean"]
    else:
        assert [r.id for r in res.records] == ["carrier-a", "clean"]
        assert "support_contact" not in res.records[0].json.decode()
        assert any("at most 10000 characters" in p.message for p in res.errors)
