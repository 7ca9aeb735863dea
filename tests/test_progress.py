"""Loading progress: files read of total, for the app's first page and the CLI's bar."""

from __future__ import annotations

import io
import shutil

from catalogue_lib import load
from catalogue_lib.live import LiveCatalogue
from catalogue_lib.load import load_paths
from catalogue_lib.progress import TerminalProgress

from .conftest import CATALOGUE


def test_loading_reports_files_read_of_total_until_all_are_read(tmp_path, monkeypatch):
    monkeypatch.setattr(load, "CHUNK", 2)
    for i in range(3):
        shutil.copy(CATALOGUE / "alpha-shop.yaml", tmp_path / f"copy-{i}.yaml")
    calls: list[tuple[int, int]] = []
    result = load_paths([str(CATALOGUE), str(tmp_path)], progress=lambda d, t: calls.append((d, t)))
    total = len(result.files)
    assert calls[0] == (0, total) and calls[-1] == (total, total)
    assert [d for d, _ in calls] == sorted({d for d, _ in calls})  # only ever forward
    assert len(calls) == 1 + -(-total // 2)  # once per chunk


def test_the_live_catalogue_reports_its_first_load(tmp_path):
    calls: list[tuple[int, int]] = []
    lc = LiveCatalogue([str(CATALOGUE)], watch=False, cache=None)
    lc.current(lambda d, t: calls.append((d, t)))
    assert calls[-1] == (len(lc.catalogue.result.files),) * 2
    lc.close()


class FakeTerminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_the_bar_shows_files_read_on_a_terminal_and_is_cleared():
    term = FakeTerminal()
    bar = TerminalProgress(term, delay=0.0)
    bar(2500, 10000)
    bar(10000, 10000)
    assert "2,500 of 10,000" in term.getvalue() and "10,000 of 10,000" in term.getvalue()
    bar.close()
    assert term.getvalue().endswith("\r\x1b[2K")


def test_no_bar_when_stderr_is_not_a_terminal():
    pipe = io.StringIO()
    bar = TerminalProgress(pipe, delay=0.0)
    bar(1, 2)
    bar.close()
    assert pipe.getvalue() == ""


def test_no_bar_for_a_load_quicker_than_the_delay():
    term = FakeTerminal()
    bar = TerminalProgress(term, delay=3600.0)
    bar(1, 2)
    bar(2, 2)
    bar.close()
    assert term.getvalue() == ""


def test_a_first_page_shows_files_read_of_total_while_it_loads(tmp_path, monkeypatch):
    """The first page of a server's first start says how many files it has read of how many,
    chunk by chunk, instead of a blank page; the bar goes once the catalogue is built."""
    import streamlit as st
    from streamlit.testing.v1 import AppTest

    from catalogue_lib import ui
    from catalogue_lib.generate import synthetic_records, write_records

    from .test_app import APP

    write_records(synthetic_records(23, seed=4), tmp_path / "catalogue")
    monkeypatch.setattr(load, "CHUNK", 5)  # files read five at a time: five steps
    monkeypatch.setenv("CATALOGUE_PATH", str(tmp_path / "catalogue"))
    monkeypatch.setenv("CATALOGUE_CACHE", str(tmp_path / "cache"))  # a first start: nothing kept
    shown: list[str] = []
    emptied: list[bool] = []

    class Bar:
        def progress(self, value: float, text: str) -> None:
            assert 0.0 <= value <= 1.0
            shown.append(text)

        def empty(self) -> None:
            emptied.append(True)

    def progress(value: float, text: str) -> Bar:
        shown.append(text)
        return Bar()

    monkeypatch.setattr(ui.st, "progress", progress)
    st.cache_resource.clear()
    st.cache_data.clear()
    at = AppTest.from_file(APP, default_timeout=60)
    at.run()
    assert not at.exception
    assert shown == [
        "Reading the catalogue...",
        "Reading files: 0 of 23",
        "Reading files: 5 of 23",
        "Reading files: 10 of 23",
        "Reading files: 15 of 23",
        "Reading files: 20 of 23",
        "Reading files: 23 of 23; building the catalogue...",
    ]
    assert emptied == [True]
    at.run()  # the catalogue is loaded: no bar again
    assert len(shown) == 7
    st.cache_resource.clear()
