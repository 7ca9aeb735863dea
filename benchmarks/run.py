"""Benchmark: load, page reruns, reload and memory at 100 to 50,000 integrations.

    python benchmarks/run.py                       # 100, 1,000, 10,000, 50,000
    python benchmarks/run.py --sizes 100,1000      # a quick run

Each size runs in its own process (so peak memory is that size's alone) on a
synthetic catalogue from `catalogue generate` (cached under benchmarks/.data).
Prints a Markdown table and writes it, with the machine it ran on, to
benchmarks/results.md. Timings are wall-clock medians; nothing here is a test.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "benchmarks" / ".data"
PAGES = [
    ("Health", "app.py"),
    ("Coverage", "pages/1_Coverage.py"),
    ("Versions", "pages/2_Versions.py"),
    ("Deprecations", "pages/3_Deprecations.py"),
    ("Risk", "pages/4_Risk.py"),
    ("Integration", "pages/5_Integration.py"),
    ("Data quality", "pages/6_Data_quality.py"),
    ("Backlog", "pages/7_Backlog.py"),
]
BROWSER_SIZE = 10_000


def dataset(n: int) -> Path:
    folder = DATA / f"n{n}"
    if not (folder / ".complete").exists():
        shutil.rmtree(folder, ignore_errors=True)
        from catalogue_lib.generate import synthetic_records, write_records

        write_records(synthetic_records(n, seed=1), folder)
        (folder / ".complete").write_text("ok")
    return folder


def parse_only(folder: Path) -> float:
    import yaml

    started = time.perf_counter()
    for f in sorted(folder.glob("*.yaml")):
        yaml.load(f.read_text(encoding="utf-8"), Loader=yaml.CSafeLoader)
    return time.perf_counter() - started


def measure(n: int) -> dict:
    """Everything for one size, in this process."""
    folder = dataset(n)
    out: dict = {"n": n, "parse_s": parse_only(folder)}

    from catalogue_lib.catalogue import open_catalogue

    started = time.perf_counter()
    cat = open_catalogue([str(folder)])
    out["load_s"] = time.perf_counter() - started
    out["records"] = len(cat.result.records)
    del cat

    import streamlit as st
    from streamlit.testing.v1 import AppTest

    os.environ["CATALOGUE_PATH"] = str(folder)
    st.cache_resource.clear()
    st.cache_data.clear()
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=600)
    started = time.perf_counter()
    at.run()
    out["first_run_s"] = time.perf_counter() - started
    out["pages_ms"] = {}
    for name, page in PAGES:
        if page != "app.py":
            at.switch_page(page)
        at.run()  # the first run of a page fills its query cache
        if at.exception:
            raise RuntimeError(f"{name}: {at.exception[0].value}")
        runs = []
        for _ in range(5):
            started = time.perf_counter()
            at.run()
            runs.append(time.perf_counter() - started)
        out["pages_ms"][name] = statistics.median(runs) * 1000

    # one file edited: the next interaction reloads (only that file is parsed again)
    at.switch_page("app.py")
    at.run()
    victim = sorted(folder.glob("*.yaml"))[n // 2]
    original = victim.read_text(encoding="utf-8")
    try:
        victim.write_text(original + "\n# edited by the benchmark\n", encoding="utf-8")
        time.sleep(1.0)  # the file watcher's event arrives
        started = time.perf_counter()
        at.run()
        out["reload_s"] = time.perf_counter() - started
    finally:
        victim.write_text(original, encoding="utf-8")
    from catalogue_lib import ui

    stats = ui._live(ui.catalogue_paths()).stats
    out["reload_files_parsed"] = stats.files_parsed
    out["reload_rebuild_s"] = stats.seconds
    out["peak_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return out


def browser_times(n: int) -> dict[str, float]:
    """Seconds from navigation until a page's charts are drawn, on a warm server."""
    if not Path("/usr/bin/chromium").exists():
        return {}
    sys.path.insert(0, str(ROOT))
    from playwright.sync_api import sync_playwright

    from tests.test_browser import CHROMIUM, CHROMIUM_ARGS, start_server, wait_for_app
    from tests.test_browser import PAGES as BROWSER_PAGES

    proc, url = start_server(dataset(n))
    times: dict[str, float] = {}
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            page = browser.new_page(viewport={"width": 1400, "height": 1000})
            for path, _, charts in BROWSER_PAGES:  # warm the server's caches once
                page.goto(f"{url}/{path}")
                wait_for_app(page, charts)
            for path, title, charts in BROWSER_PAGES:
                started = time.perf_counter()
                page.goto(f"{url}/{path}")
                wait_for_app(page, charts)
                times[title] = time.perf_counter() - started
            browser.close()
    finally:
        proc.terminate()
        proc.wait(timeout=30)
    return times


def machine() -> str:
    mem = ""
    try:
        kb = int(next(ln for ln in open("/proc/meminfo") if ln.startswith("MemTotal")).split()[1])
        mem = f", {kb / 2**20:.0f} GiB RAM"
    except (OSError, StopIteration):
        pass
    cpu = platform.processor() or platform.machine()
    import duckdb
    import streamlit

    return (
        f"{os.cpu_count()} cores ({cpu}){mem}, {platform.system()} {platform.release()}, "
        f"Python {platform.python_version()}, DuckDB {duckdb.__version__}, Streamlit {streamlit.__version__}"
    )


def table(results: list[dict], browser: dict[str, float]) -> str:
    base = next((r for r in results if r["n"] == min(x["n"] for x in results)), None)
    lines = [
        "| integrations | parse only (s) | load (s) | load / parse | first page, cold (s) | "
        + " | ".join(f"{name} (ms)" for name, _ in PAGES)
        + " | reload after 1 edit (s) | files re-parsed | peak RSS (MB) |",
        "|" + "---|" * (8 + len(PAGES)),
    ]
    for r in results:
        cells = []
        for name, _ in PAGES:
            ms = r["pages_ms"][name]
            ratio = f" ({ms / base['pages_ms'][name]:.1f}x)" if base and r is not base else ""
            cells.append(f"{ms:.0f}{ratio}")
        lines.append(
            f"| {r['n']:,} | {r['parse_s']:.2f} | {r['load_s']:.2f} | {r['load_s'] / r['parse_s']:.2f} | "
            f"{r['first_run_s']:.1f} | " + " | ".join(cells) + f" | {r['reload_s']:.2f} | "
            f"{r['reload_files_parsed']} | {r['peak_rss_mb']:.0f} |"
        )
    text = "\n".join(lines) + "\n"
    text += (
        "\nPage times are a warm rerun of the page's script (AppTest, median of 5); the ratio "
        f"is to the same page at {base['n']:,} integrations.\n"
        if base
        else ""
    )
    if browser:
        text += (
            f"\nRendered in headless Chromium at {BROWSER_SIZE:,} integrations (navigation until every "
            "chart is drawn, warm server): "
            + ", ".join(f"{k} {v:.1f} s" for k, v in browser.items())
            + ".\n"
        )
    return text


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--sizes", default="100,1000,10000,50000")
    parser.add_argument("--no-browser", action="store_true")
    parser.add_argument("--out", default=str(ROOT / "benchmarks" / "results.md"))
    parser.add_argument("--one", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        print(json.dumps(measure(args.one)))
        return 0
    sizes = [int(s) for s in args.sizes.split(",")]
    results = []
    for n in sizes:
        print(f"measuring {n:,} integrations...", file=sys.stderr, flush=True)
        proc = subprocess.run(
            [sys.executable, __file__, "--one", str(n)], capture_output=True, text=True, cwd=ROOT
        )
        if proc.returncode != 0:
            print(proc.stderr, file=sys.stderr)
            return 1
        results.append(json.loads(proc.stdout.strip().splitlines()[-1]))
    browser = {} if args.no_browser or BROWSER_SIZE not in sizes else browser_times(BROWSER_SIZE)
    text = table(results, browser)
    print(text)
    Path(args.out).write_text(
        f"# Benchmark results\n\nMachine: {machine()}.\n\n{text}", encoding="utf-8"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
