"""The real app in headless Chromium: start a server, open a page, wait for it, measure it.

Shared by the browser tests and tools/screenshots.py. Nothing here waits on a clock to decide an
outcome: every wait is for a state of the page, bounded only so that a broken app fails instead
of hanging.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
# url path of every page, in the sidebar's order
PAGE_PATHS = [
    "",
    "Coverage",
    "Versions",
    "Deprecations",
    "Risk",
    "Backlog",
    "Integration",
    "Data_quality",
    "Trends",
    "Initiatives",
]
GENEROUS_MS = 120_000  # a bound, not a speed goal: a busy CI machine may take long


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(catalogue: Path | None = None) -> tuple[subprocess.Popen, str]:
    port = free_port()
    env = dict(os.environ)
    if catalogue is not None:
        env["CATALOGUE_PATH"] = str(catalogue)
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "streamlit",
            "run",
            str(ROOT / "app.py"),
            "--server.port",
            str(port),
            "--server.address",
            "127.0.0.1",
            "--server.headless",
            "true",
            "--browser.gatherUsageStats",
            "false",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as r:
                if r.read().decode().strip() == "ok":
                    return proc, url
        except OSError:
            time.sleep(0.3)
    proc.kill()
    raise RuntimeError("streamlit did not start in 120 s")


def stop_server(proc: subprocess.Popen) -> None:
    proc.terminate()
    try:
        proc.wait(timeout=30)
    except subprocess.TimeoutExpired:
        proc.kill()


@contextmanager
def launch() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


def wait_for_app(pg: Any) -> None:
    """Until the page's script has finished and every chart on it is drawn."""
    pg.wait_for_selector('[data-testid="stApp"]', timeout=GENEROUS_MS)
    pg.wait_for_selector("h1", timeout=GENEROUS_MS)
    pg.wait_for_selector(".st-key-page_done", state="attached", timeout=GENEROUS_MS)
    pg.wait_for_function(
        """() => !document.querySelector(
            '[data-testid="stStatusWidget"], [data-testid="stSkeleton"], [data-stale="true"]')""",
        timeout=GENEROUS_MS,
    )
    pg.wait_for_function(
        """() => Array.from(document.querySelectorAll('[data-testid="stVegaLiteChart"]'))
                 .filter(c => c.getClientRects().length > 0)
                 .every(c => c.querySelector('svg, canvas'))""",
        timeout=GENEROUS_MS,
    )


def open_page(pg: Any, url: str) -> None:
    pg.goto(url)
    wait_for_app(pg)


def measure(pg: Any) -> dict[str, Any]:
    """The page's full height, its charts' heights, the exceptions it shows, and every text cut
    off with an ellipsis (a metric's label or note too long for its tile)."""
    return pg.evaluate(
        """() => {
            const main = document.querySelector('[data-testid="stMain"]') || document.body;
            const charts = Array.from(document.querySelectorAll('[data-testid="stVegaLiteChart"]'))
                .map(c => Math.round(c.getBoundingClientRect().height));
            return {
                page_px: Math.round(Math.max(main.scrollHeight, document.documentElement.scrollHeight)),
                charts: charts.length,
                tallest_chart_px: charts.length ? Math.max(...charts) : 0,
                exceptions: document.querySelectorAll('[data-testid="stException"]').length,
                clipped: Array.from(main.querySelectorAll('*'))
                    .filter(e => getComputedStyle(e).textOverflow === 'ellipsis'
                                 && e.getClientRects().length)
                    .filter(e => {
                        const r = document.createRange();
                        r.selectNodeContents(e);
                        return r.getBoundingClientRect().width > e.getBoundingClientRect().width + 1;
                    })
                    .map(e => e.textContent),
            };
        }"""
    )


def full_page(pg: Any, path: Path, height: int) -> None:
    """A screenshot of the whole page: Streamlit scrolls inside its main block, so the window is
    made as tall as the page first."""
    width = pg.viewport_size["width"]
    pg.set_viewport_size({"width": width, "height": max(300, min(height + 40, 16000))})
    pg.wait_for_timeout(
        400
    )  # let charts re-layout to the new window; only the picture depends on it
    path.parent.mkdir(parents=True, exist_ok=True)
    pg.screenshot(path=str(path), full_page=True)
