"""The YAML fast path (yaml-rs) and the careful path (libyaml) give the same records and problems:
on the hostile corpus, the sample data, the fixtures, the property tests' records, every YAML
1.1 / 1.2 trap we know and a generated catalogue. Plain files really take the fast path."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from catalogue_lib import yaml_fast
from catalogue_lib.files import decode_text
from catalogue_lib.generate import synthetic_records, write_records
from catalogue_lib.model import Integration
from catalogue_lib.source_yaml import _load_yaml

from .conftest import FIXTURES, ROOT, VALID
from .test_properties import records as record_strategy

HOSTILE = Path(__file__).resolve().parent / "hostile"


def both(text: str, shown: str = "f.yaml") -> tuple[tuple, tuple]:
    def view(entry):
        recs, probs = entry
        return (
            [(r.json, r.id, r.owner, r.path, r.line, r.form, r.overrides) for r in recs],
            [str(p) for p in probs],
        )

    return view(_load_yaml(text, shown)), view(_load_yaml(text, shown, fast=False))


def yaml_files(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*") if p.suffix in (".yaml", ".yml") and p.is_file())


def texts(folder: Path) -> list[tuple[str, str]]:
    out = []
    for p in yaml_files(folder):
        try:
            out.append((str(p.relative_to(ROOT)), decode_text(p.read_bytes())))
        except Exception:  # binary or not UTF-8: refused before any YAML parser sees it
            continue
    return out


@pytest.mark.parametrize(
    "shown,text", texts(HOSTILE) + texts(ROOT / "data") + texts(FIXTURES), ids=lambda v: v[:40]
)
def test_both_paths_agree_on_every_corpus_file(shown, text):
    fast, careful = both(text, shown)
    assert fast == careful


def test_both_paths_agree_on_a_generated_catalogue(tmp_path):
    """1,000 generated files here; benchmarks/run.py --differential checks the 10,000."""
    write_records(synthetic_records(1000, seed=7), tmp_path)
    files = yaml_files(tmp_path)
    assert len(files) == 1000
    fast_count = 0
    for path in files:
        text = path.read_text(encoding="utf-8")
        fast, careful = both(text, path.name)
        assert fast == careful, path.name
        fast_count += yaml_fast.fast_load(text) is not None
    assert fast_count > 900  # the fast path is the common path, not dead code


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(record_strategy, st.booleans())
def test_both_paths_agree_on_property_records(data, flow):
    record = Integration.model_validate(data).model_dump(mode="json", exclude_none=True)
    text = yaml.safe_dump(record, allow_unicode=True, default_flow_style=flow)
    fast, careful = both(text)
    assert fast == careful


@settings(max_examples=150, deadline=None)
@given(st.text(alphabet="{}[]:-#&*!|>'\"\n\t ,?%@`ab1.0yesonfx~", max_size=200))
def test_both_paths_agree_on_yaml_like_noise(noise):
    fast, careful = both(noise)
    assert fast == careful


def plain(**fields: str) -> str:
    """The valid record as block YAML with some top-level lines replaced by raw text."""
    lines = yaml.safe_dump(VALID, sort_keys=False).splitlines()
    out = [ln for ln in lines if ln.split(":", 1)[0] not in fields]
    return "\n".join(out + [f"{k}: {v}" for k, v in fields.items()]) + "\n"


# Values YAML 1.1 (our careful reading) and YAML 1.2 (yaml-rs) read differently, or whose written
# text a number would lose: each must come out exactly as the careful path reads it.
TRAPS = {
    "yes": plain(owner="yes"),
    "No": plain(owner="No"),
    "on": plain(owner="on"),
    "OFF": plain(support_contact="OFF"),
    "y": plain(owner="y"),
    "True": plain(owner="True"),
    "octal 012": plain(owner="012"),
    "octal 0o12": plain(owner="0o12"),
    "hex": plain(owner="0x1F"),
    "binary": plain(owner="0b101"),
    "sexagesimal": plain(owner="1:20"),
    "underscores": plain(owner="1_000"),
    "exponent": plain(owner="1e3"),
    "exponent with dot": plain(owner="1.0e3"),
    "inf": plain(owner=".inf"),
    "nan": plain(owner=".NaN"),
    "plus sign": plain(owner="+12"),
    "minus zero": plain(owner="-0"),
    "trailing zero": plain(owner="2.40"),
    "number in a list": plain(critical_flows="[2.40, 012, yes]"),
    "quoted yes": plain(owner='"yes"'),
    "integer in a text field": plain(owner="1451"),
    "decimal in a text field": plain(owner="99.5"),
    "version numbers": plain(lifecycle="{versions: [{version: 2024, status: current}]}"),
    "quoted number": plain(owner="'2.40'"),
    "date": plain(reviewed_on="2026-11-02"),
    "timestamp": plain(reviewed_on="2026-11-02 10:00:00"),
    "timestamp T": plain(reviewed_on="2026-11-02T10:00:00Z"),
    "key on": plain(on="x"),
    "key yes": "yes: 1\n" + plain(),
    "key number": plain(**{"1": "x"}),
    "null key": plain(**{"~": "x"}),
    "bool value": plain(criticality="false"),
    "slo numbers": plain(operations="{slo: {success_rate_pct: 99.0, latency_p95_ms: 800}}"),
    "merge key": plain(auth="{<<: {method: api_key}}"),
    "anchor and alias": plain(owner="&o Team", support_contact="*o"),
    "tag": plain(owner="!!str 12"),
    "custom tag": plain(owner="!secret x"),
    "duplicate key": plain() + "owner: Team Again\n",
    "tab after colon": plain(owner="\tTeam"),
    "escape": plain(owner='"Team\\tA"'),
    "escaped slash": plain(owner='"a\\/b"'),
    "control character": plain(owner="Team\x07"),
    "line separator": plain(owner="Team\u2028A"),
    "next line": plain(owner="Team\x85A"),
    "document start": "---\n" + plain(),
    "two documents": plain() + "---\n" + plain(),
    "directive": "%YAML 1.1\n---\n" + plain(),
    "complex key": plain() + "? [a]\n: b\n",
    "flow key": plain() + "[a]: b\n",
    "long key": plain() + "k" * 1100 + ": v\n",
    "block scalar": plain(business_purpose="|\n  line one\n  yes\n"),
    "folded scalar": plain(business_purpose=">-\n  folded\n  text\n"),
    "multi-line plain": plain(business_purpose="first\n  on\n  012"),
    "comment after value": plain(owner="yes # comment"),
    "no space before comment": plain(owner="yes#x"),
    "list of records": "- " + plain().replace("\n", "\n  ").rstrip() + "\n",
    "deep flow": plain(notes="[" * 50 + "]" * 50),
    "empty": "",
    "only a comment": "# nothing\n",
    "scalar document": "just text\n",
    "leading comment": "# header\n\n" + plain(),
    "CRLF": plain(owner="yes").replace("\n", "\r\n"),
    "CRLF plain": plain().replace("\n", "\r\n"),
    "lone CR": plain().replace("\n", "\r"),
}


@pytest.mark.parametrize("text", TRAPS.values(), ids=TRAPS.keys())
def test_both_paths_agree_on_yaml_1_1_and_1_2_traps(text):
    fast, careful = both(text)
    assert fast == careful


@pytest.mark.parametrize(
    "name", ["yes", "on", "octal 012", "sexagesimal", "trailing zero", "exponent", "key on"]
)
def test_an_ambiguous_scalar_sends_the_file_to_the_careful_path(name):
    assert not yaml_fast.eligible(TRAPS[name])


@pytest.mark.parametrize(
    "name", ["date", "bool value", "slo numbers", "quoted yes", "leading comment"]
)
def test_a_plain_record_takes_the_fast_path(name):
    assert yaml_fast.fast_load(TRAPS[name]) is not None


def test_the_fast_path_outlives_the_thread_that_first_used_it(tmp_path):
    """yaml-rs 0.1.6 crashed the process when called after the thread that imported it had
    ended: Streamlit runs each script run in a thread of its own. Run in a process of its own,
    so that a crash fails this test instead of ending the suite."""
    import subprocess
    import sys

    record = tmp_path / "r.yaml"
    record.write_text(yaml.safe_dump(VALID, sort_keys=False), encoding="utf-8")
    script = f"""
import threading
text = open({str(record)!r}, encoding="utf-8").read()
got = []

def use():  # as a Streamlit script run: the package is first imported in this thread
    from catalogue_lib import yaml_fast
    got.append(yaml_fast.fast_load(text))

for _ in range(3):  # each use in a new thread, after the last one has ended
    t = threading.Thread(target=use)
    t.start()
    t.join()
assert got[0] is not None and got == [got[0]] * 3, got
print("ok")
"""
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, cwd=ROOT, timeout=300
    )
    assert (done.returncode, done.stdout.strip()) == (0, "ok"), done.stderr[-2000:]
