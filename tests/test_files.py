"""The catalogue folder is attacker-written: only regular files are read, reads are bounded, and
every path that is skipped is a problem line (never a hang, a traceback or silence)."""

from __future__ import annotations

import json
import os

import pytest
import yaml

from catalogue_lib import files
from catalogue_lib.cli import main
from catalogue_lib.live import LiveCatalogue
from catalogue_lib.load import load_paths

from .conftest import valid_record


def _folder(tmp_path):
    folder = tmp_path / "cat"
    folder.mkdir()
    (folder / "good.yaml").write_text(yaml.safe_dump(valid_record()))
    return folder


def _report(res) -> list[str]:
    return [str(p) for p in res.problems]


def test_a_fifo_named_like_a_record_is_skipped_and_reported(tmp_path):
    folder = _folder(tmp_path)
    os.mkfifo(folder / "x.yaml")
    res = load_paths([folder])
    assert [r.id for r in res.records] == ["carrier-a"]
    assert any("x.yaml" in p and "not a regular file" in p for p in _report(res)), _report(res)


def test_a_link_to_dev_zero_is_skipped_and_reported(tmp_path):
    folder = _folder(tmp_path)
    (folder / "z.yaml").symlink_to("/dev/zero")
    res = load_paths([folder])
    assert [r.id for r in res.records] == ["carrier-a"]
    assert any("z.yaml" in p and "not a regular file" in p for p in _report(res)), _report(res)


def test_a_socket_named_like_a_record_is_skipped_and_reported(tmp_path):
    import socket

    folder = _folder(tmp_path)
    sock = socket.socket(socket.AF_UNIX)
    cwd = os.getcwd()
    os.chdir(folder)  # a socket path must be short
    try:
        sock.bind("s.json")
        res = load_paths([folder])
    finally:
        os.chdir(cwd)
        sock.close()
    assert [r.id for r in res.records] == ["carrier-a"]
    assert any("s.json" in p and "not a regular file" in p for p in _report(res)), _report(res)


def test_reads_stop_past_the_size_limit_whatever_stat_says(tmp_path, monkeypatch):
    big = tmp_path / "big.yaml"
    big.write_text("a: " + "x" * 5000)
    monkeypatch.setattr(files, "MAX_FILE_BYTES", 1000)
    real_stat = os.stat

    class Lying:  # a file that grows between stat and read looks small to stat
        def __init__(self, st):
            self._st = st

        def __getattr__(self, name):
            return 10 if name == "st_size" else getattr(self._st, name)

    real_fstat = os.fstat
    monkeypatch.setattr(os, "fstat", lambda fd: Lying(real_fstat(fd)))
    monkeypatch.setattr(
        os,
        "stat",
        lambda p, *a, **k: (
            Lying(real_stat(p, *a, **k)) if "big" in str(p) else real_stat(p, *a, **k)
        ),
    )
    with pytest.raises(files._FileProblem, match="too large"):
        files.read_text(big)


def test_a_non_utf8_file_name_is_reported_and_the_rest_loads(tmp_path, capsys):
    folder = _folder(tmp_path)
    bad = os.path.join(os.fsencode(folder), b"caf\xe9.yaml")
    with open(bad, "w") as fh:
        fh.write(yaml.safe_dump(valid_record(id="cafe")))
    res = load_paths([folder])
    assert [r.id for r in res.records] == ["carrier-a"]
    assert any("caf\\xe9.yaml" in p and "UTF-8" in p for p in _report(res)), _report(res)
    assert main(["validate", str(folder)]) == 1
    out = capsys.readouterr().out
    assert "caf\\xe9.yaml" in out and "1 record valid" in out
    assert main(["summary", str(folder), "--format", "json"]) == 0


def test_a_live_reload_reports_a_new_non_utf8_file_name(tmp_path):
    folder = _folder(tmp_path)
    live = LiveCatalogue([str(folder)], watch=False)
    try:
        live.current()
        with open(os.path.join(os.fsencode(folder), b"n\xffw.yaml"), "w") as fh:
            fh.write(yaml.safe_dump(valid_record(id="new")))
        live._checked_at = -1e9  # as if the polling interval had passed
        cat, _, _ = live.current()
    finally:
        live.close()
    assert any("n\\xffw.yaml" in str(p) for p in cat.result.problems)


def test_eleven_hundred_nested_folders_load_without_recursion_error(tmp_path):
    folder = tmp_path / "cat"
    folder.mkdir()
    cwd = os.getcwd()
    os.chdir(folder)
    try:  # one level at a time: pathlib's mkdir(parents=True) itself recurses
        for _ in range(1100):
            os.mkdir("d")
            os.chdir("d")
        with open("deep.yaml", "w") as fh:
            fh.write(yaml.safe_dump(valid_record(id="deep")))
    finally:
        os.chdir(cwd)
    try:
        res = load_paths([folder])
    finally:  # pytest's clean-up (shutil.rmtree) recurses too: take the tree down by hand
        os.chdir(folder)
        try:
            for _ in range(1100):
                os.chdir("d")
            os.remove("deep.yaml")
            for _ in range(1100):
                os.chdir("..")
                os.rmdir("d")
        finally:
            os.chdir(cwd)
    assert [r.id for r in res.records] == ["deep"], _report(res)


def test_a_record_past_the_path_length_limit_is_reported(tmp_path):
    folder = tmp_path / "cat"
    folder.mkdir()
    (folder / "good.yaml").write_text(yaml.safe_dump(valid_record()))
    cwd = os.getcwd()
    os.chdir(folder)
    try:  # built relative to the working folder: the full path is past PATH_MAX
        for _ in range(20):
            os.mkdir("d" * 250)
            os.chdir("d" * 250)
        with open("far.yaml", "w") as fh:
            fh.write(yaml.safe_dump(valid_record(id="far")))
    finally:
        os.chdir(cwd)
    res = load_paths([folder])
    assert [r.id for r in res.records] == ["carrier-a"]
    assert any("too long" in p.lower() for p in _report(res)), _report(res)


def test_an_unreadable_folder_is_reported(tmp_path, monkeypatch):
    folder = _folder(tmp_path)
    (folder / "locked").mkdir()
    (folder / "locked" / "hidden.yaml").write_text(yaml.safe_dump(valid_record(id="hidden")))
    real = os.scandir

    def scandir(path):  # tests run as root, where chmod 000 still reads
        if os.fspath(path).endswith("locked"):
            raise PermissionError(13, "Permission denied")
        return real(path)

    monkeypatch.setattr(os, "scandir", scandir)
    res = load_paths([folder])
    assert [r.id for r in res.records] == ["carrier-a"]
    assert any("locked" in p and "cannot read folder" in p for p in _report(res)), _report(res)


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("docs/record.schema.json", {"$schema": "x", "type": "object", "properties": {}}),
        ("renovate.json", {"extends": ["config:base"]}),
        ("package.json", {"name": "catalogue-tools", "version": "1.0.0"}),
        ("tsconfig.json", {"compilerOptions": {"strict": True}}),
    ],
)
def test_a_json_file_that_is_clearly_not_a_record_does_not_fail_validate(
    tmp_path, name, content, capsys
):
    folder = _folder(tmp_path)
    (folder / name).parent.mkdir(parents=True, exist_ok=True)
    (folder / name).write_text(json.dumps(content))
    assert main(["validate", str(folder)]) == 0
    out = capsys.readouterr().out
    assert "not a catalogue record" in out and name.split("/")[-1] in out


def test_a_json_record_missing_a_field_is_still_an_error(tmp_path):
    folder = _folder(tmp_path)
    broken = valid_record(id="broken", name=None)
    (folder / "broken.json").write_text(json.dumps(broken))
    res = load_paths([folder])
    assert any("broken.json" in p and "missing required field" in p for p in _report(res))


def test_a_link_to_a_file_outside_the_folder_is_skipped_and_reported(tmp_path):
    folder = _folder(tmp_path)
    outside = tmp_path / "private.yaml"
    outside.write_text(yaml.safe_dump(valid_record(id="private")))
    (folder / "leak.yaml").symlink_to(outside)
    (folder / "inside.yaml").symlink_to(folder / "good.yaml")  # inside: read (a duplicate id)
    res = load_paths([folder])
    assert "private" not in [r.id for r in res.records]
    assert any("leak.yaml" in p and "outside the catalogue folder" in p for p in _report(res))
    assert any("inside.yaml" in p and "duplicate id" in p for p in _report(res)), _report(res)


def test_a_hidden_record_file_is_named_and_a_dot_folder_is_silent(tmp_path):
    folder = _folder(tmp_path)
    (folder / ".draft.yaml").write_text(yaml.safe_dump(valid_record(id="draft")))
    (folder / ".git").mkdir()
    (folder / ".git" / "x.yaml").write_text(yaml.safe_dump(valid_record(id="in-git")))
    (folder / ".editorconfig").write_text("root = true\n")
    res = load_paths([folder])
    assert [r.id for r in res.records] == ["carrier-a"]
    report = _report(res)
    assert [p for p in report if ".draft.yaml" in p and "warning" in p and "hidden" in p], report
    assert not [p for p in report if ".git" in p or ".editorconfig" in p], report


@pytest.mark.parametrize("spelling", ["", ".", "./"])
def test_the_current_folder_is_shown_the_same_however_it_is_spelled(
    spelling, tmp_path, monkeypatch
):
    folder = _folder(tmp_path)
    (folder / "sub").mkdir()
    (folder / "sub" / "x.yaml").write_text(yaml.safe_dump(valid_record(id="x")))
    monkeypatch.chdir(folder)
    found, _ = files.catalogue_files([spelling])
    assert [shown for _, shown, _ in found] == ["good.yaml", "sub/x.yaml"]


@pytest.mark.parametrize("name", ["scorecard.yaml", "owners.yaml", "calendar.yaml"])
@pytest.mark.parametrize("kind", ["fifo", "dev-zero", "outside", "folder"])
def test_a_configuration_file_that_is_not_a_regular_file_inside_is_reported(
    tmp_path, capsys, name, kind
):
    """Configuration files were read through any link (a link to a YAML file outside the folder
    echoed its keys in the errors) and a FIFO or /dev/zero was ignored without a word."""
    folder = _folder(tmp_path)
    outside = tmp_path / "outside.yaml"
    outside.write_text("SECRET_HOST_NAME_4711: x\n")
    target = folder / name
    if kind == "fifo":
        os.mkfifo(target)
    elif kind == "dev-zero":
        target.symlink_to("/dev/zero")
    elif kind == "folder":
        target.mkdir()
    else:
        target.symlink_to(outside)
    assert main(["validate", str(folder)]) == 1
    out = capsys.readouterr().out
    why = "a link to a file outside" if kind == "outside" else "not a regular file"
    assert f"{target}: error: {why}" in out, out
    assert "SECRET_HOST_NAME_4711" not in out
    assert "1 record valid" in out
