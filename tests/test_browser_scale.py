"""The real app in headless Chromium at scale: every record's page on every source form, and no page
that grows with the catalogue."""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from catalogue_lib import generate

from .browser_support import full_page, launch, measure, open_page, start_server, stop_server
from .conftest import ROOT, SEED_COPY
from .test_browser import OUT, PAGES, _need_browser

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def browser():
    _need_browser()
    with launch() as b:
        yield b


# --------------------------------------------------------------------------- every record, at scale

VALUE_LEAKS = re.compile(r"^(None|nan|NaN|NaT|<NA>|null|)$")


@pytest.fixture(scope="module")
def generated_200(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("generated200")
    generate.write_records(generate.synthetic_records(200, 11), out)
    return out


def _record_forms(catalogue: Path) -> dict[str, str]:
    """Each record's id and the form it was read from (yaml, json, markdown, csv)."""
    from catalogue_lib.catalogue import open_catalogue

    return {r.id: r.form for r in open_catalogue([str(catalogue)]).result.records}


def _template_only(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("template")
    shutil.copy(SEED_COPY, folder / "catalogue.md")
    return folder


@pytest.mark.parametrize("source", ["sample", "template", "generated-200"])
def test_every_record_page_renders_with_a_dash_for_each_missing_field(
    browser, source, generated_200, tmp_path_factory
):
    catalogue = {
        "sample": ROOT / "data",
        "template": _template_only(tmp_path_factory),
        "generated-200": generated_200,
    }[source]
    forms = _record_forms(catalogue)
    assert forms
    proc, url = start_server(catalogue)
    context = browser.new_context(viewport={"width": 1440, "height": 900})
    pg = context.new_page()
    try:
        for rid, form in forms.items():
            open_page(pg, f"{url}/Integration?id={rid}")
            assert pg.locator('[data-testid="stException"]').count() == 0, rid
            assert pg.locator('[data-testid="stMain"] h2').count() >= 1, rid
            items = pg.locator('[data-testid="stMain"] [data-testid="stMarkdownContainer"] li')
            values = [t.split(":", 1)[1].strip() for t in items.all_inner_texts() if ":" in t]
            assert len(values) >= 29, rid  # the template's one-page record, every field listed
            assert not [v for v in values if VALUE_LEAKS.match(v)], rid
            # a missing value is a dash; on a table row, what the table cannot state is unknown
            missing = "unknown (not in the table)" if form in ("markdown", "csv") else "—"
            assert missing in values, rid
    finally:
        context.close()
        stop_server(proc)


@pytest.fixture(scope="module")
def server_5000(tmp_path_factory) -> Iterator[str]:
    _need_browser()
    out = tmp_path_factory.mktemp("generated5000")
    generate.write_records(generate.synthetic_records(5000, 7), out)
    proc, url = start_server(out)
    yield url
    stop_server(proc)


@pytest.mark.parametrize(("path", "title", "charts"), PAGES, ids=[p[1] for p in PAGES])
def test_no_page_grows_with_the_catalogue(browser, server_5000, path, title, charts):
    context = browser.new_context(viewport={"width": 1440, "height": 900})
    pg = context.new_page()
    try:
        open_page(pg, f"{server_5000}/{path}")
        sizes = measure(pg)
        assert sizes["exceptions"] == 0
        assert sizes["page_px"] <= 4000, sizes
        assert sizes["tallest_chart_px"] <= 1200, sizes
        assert sizes["clipped"] == [], sizes
        full_page(pg, OUT / "5000" / f"{title.lower().replace(' ', '-')}.png", sizes["page_px"])
    finally:
        context.close()
