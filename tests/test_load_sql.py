"""The database reads every table's rows out of the records' JSON (sql/load_records.sql): each
stored value is the record's, and a partner date is stored as its first day plus, when
approximate, the form as written (values.first_day / is_approximate say what that is)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from catalogue_lib import db
from catalogue_lib.generate import synthetic_records, write_records
from catalogue_lib.load import load_paths
from catalogue_lib.values import first_day, is_approximate

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.parametrize(
    "written",
    [
        "2027-03",
        "2027-12",
        "2027-01",
        "2027-Q1",
        "2027-Q2",
        "2027-q3",
        "2027-Q4",
        "2026-08-31",
        None,
    ],
)
def test_a_partner_date_is_stored_as_its_first_day_and_its_form_as_written(written):
    con = db.new_database()
    con.execute(db.sql("load_records").split("CREATE OR REPLACE TEMP TABLE")[0])
    day, form = con.execute(
        "SELECT partner_day($s), partner_written($s)", {"s": written}
    ).fetchone()
    expected = first_day(written)
    assert day == (expected.isoformat() if expected else None)
    assert form == (written if is_approximate(written) else None)


def _catalogues(tmp_path: Path) -> list[list[str]]:
    generated = tmp_path / "generated"
    write_records(synthetic_records(300, seed=11), generated)
    return [
        [str(ROOT / "data")],
        [str(ROOT / "tests" / "fixtures" / "catalogue")],
        [str(ROOT / "tests" / "fixtures" / "seed-template.txt")],
        [str(ROOT / "tests" / "hostile")],
        [str(generated)],
    ]


def _day(value: Any) -> str | None:
    return first_day(value).isoformat() if value is not None else None


def _written(value: Any) -> str | None:
    return value if is_approximate(value) else None


def test_every_stored_row_is_its_records(tmp_path):
    """Swept over the sample, the fixture, the template table, the hostile corpus and a
    generated catalogue: every record's integration, versions, changes, credentials, risks and
    incidents rows hold its values, in its order."""
    for paths in _catalogues(tmp_path):
        result = load_paths(paths)
        con = db.build(result)
        assert result.records, paths
        for order, lr in enumerate(result.records):
            d = json.loads(lr.json)
            row = con.execute(
                "SELECT id, name, owner, direction, load_order, source_path, source_form,"
                " strftime(auth_expires_on, '%Y-%m-%d'), auth_expires_written, alert_rules"
                " FROM integrations WHERE id = $id",
                {"id": lr.id},
            ).fetchone()
            auth = d.get("auth") or {}
            assert row == (
                d["id"],
                d["name"],
                d.get("owner"),
                d["direction"],
                order,
                lr.path,
                lr.form,
                _day(auth.get("expires_on")),
                _written(auth.get("expires_on")),
                (d.get("operations") or {}).get("alert_rules") or [],
            ), (paths, lr.id)
            life = d.get("lifecycle") or {}
            stored = con.execute(
                "SELECT version, status, strftime(released_on, '%Y-%m-%d'), released_written,"
                " on_sunset FROM versions WHERE integration_id = $id ORDER BY position",
                {"id": lr.id},
            ).fetchall()
            assert stored == [
                (
                    v["version"],
                    v["status"],
                    _day(v.get("released_on")),
                    _written(v.get("released_on")),
                    v.get("on_sunset") or "stops",
                )
                for v in life.get("versions", [])
            ], (paths, lr.id)
            changes = con.execute(
                "SELECT strftime(date, '%Y-%m-%d'), date_written, summary, breaking, done"
                " FROM planned_changes WHERE integration_id = $id ORDER BY position",
                {"id": lr.id},
            ).fetchall()
            assert changes == [
                (
                    _day(c.get("date")),
                    _written(c.get("date")),
                    c.get("summary"),
                    c["breaking"],
                    bool(c.get("done")),
                )
                for c in life.get("planned_changes", [])
            ], (paths, lr.id)
            for table, key in (("risks", "category"), ("incidents", "failure_mode")):
                listed = con.execute(
                    f"SELECT {key}, summary FROM {table} WHERE integration_id = $id"
                    " ORDER BY position",
                    {"id": lr.id},
                ).fetchall()
                assert listed == [(k[key], k.get("summary")) for k in d.get(table, [])]
            creds = con.execute(
                "SELECT name, strftime(expires_on, '%Y-%m-%d'), expires_written"
                " FROM credentials WHERE integration_id = $id ORDER BY position",
                {"id": lr.id},
            ).fetchall()
            assert creds == [
                (k["name"], _day(k.get("expires_on")), _written(k.get("expires_on")))
                for k in auth.get("credentials", [])
            ]


def test_a_record_with_approximate_dates_everywhere_is_stored_with_each_first_day(tmp_path):
    (tmp_path / "a.yaml").write_text(
        "id: a\nname: A\ntype: carrier\npartner: P\ndirection: [inbound]\n"
        "auth: {method: token, expires_on: 2027-Q2,"
        " credentials: [{name: k, expires_on: 2027-q4}]}\n"
        "lifecycle:\n  versions:\n    - {version: v1, status: current, released_on: 2026-03,"
        " sunset_on: 2028-Q1}\n"
        "  planned_changes:\n    - {date: 2027-11, summary: s, breaking: true}\n",
        encoding="utf-8",
    )
    con = db.build(load_paths([str(tmp_path)]))
    assert con.execute(
        "SELECT strftime(auth_expires_on, '%Y-%m-%d'), auth_expires_written FROM integrations"
    ).fetchall() == [("2027-04-01", "2027-Q2")]
    assert con.execute(
        "SELECT strftime(expires_on, '%Y-%m-%d'), expires_written FROM credentials"
    ).fetchall() == [("2027-10-01", "2027-Q4")]  # the validator writes Q
    assert con.execute(
        "SELECT strftime(released_on, '%Y-%m-%d'), released_written,"
        " strftime(sunset_on, '%Y-%m-%d'), sunset_written, sunset_derived FROM versions"
    ).fetchall() == [("2026-03-01", "2026-03", "2028-01-01", "2028-Q1", False)]
    assert con.execute(
        "SELECT strftime(date, '%Y-%m-%d'), date_written, breaking FROM planned_changes"
    ).fetchall() == [("2027-11-01", "2027-11", True)]
