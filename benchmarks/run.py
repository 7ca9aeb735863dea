"""Benchmark: load, page reruns, reload and memory at 100 to 50,000 integrations.

    python benchmarks/run.py                       # 100, 1,000, 10,000, 50,000
    python benchmarks/run.py --sizes 100,1000      # a quick run
    python benchmarks/run.py --only-10000          # the load targets at 10,000 only

Loading is measured against two parse-only floors on the same files: PyYAML's CSafeLoader
(libyaml) and yaml-rs (the fast path's parser), without the record cache (cold) and with it
(warm: a second run, nothing changed), in this process and as the `catalogue summary` command.
At 10,000 the fast and the careful YAML paths are also compared on every file.

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
from collections.abc import Callable
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


SEED = 7  # `catalogue generate --integrations N --seed 7`, as in issue 12
AS_OF = "2026-11-28"


def dataset(n: int) -> Path:
    folder = DATA / f"n{n}-seed{SEED}"
    if not (folder / ".complete").exists():
        shutil.rmtree(folder, ignore_errors=True)
        from catalogue_lib.generate import synthetic_records, write_records

        write_records(synthetic_records(n, seed=SEED), folder)
        (folder / ".complete").write_text("ok")
    return folder


RUNS = 3  # the machine is shared: each figure of the targets is the median of this many runs


def median_of(measure: Callable[[], float]) -> float:
    """The median of RUNS runs of measure() (one run on a busy machine says little)."""
    return statistics.median(measure() for _ in range(RUNS))


def parse_only(folder: Path) -> float:
    """libyaml (PyYAML's CSafeLoader): read and parse every file, nothing else."""
    import yaml

    started = time.perf_counter()
    for f in sorted(folder.glob("*.yaml")):
        yaml.load(f.read_text(encoding="utf-8"), Loader=yaml.CSafeLoader)
    return time.perf_counter() - started


def fast_parse_only(folder: Path) -> float:
    """yaml-rs, the fast path's parser: read and parse every file, nothing else."""
    import yaml_rs

    started = time.perf_counter()
    for f in sorted(folder.glob("*.yaml")):
        yaml_rs.loads(f.read_text(encoding="utf-8"), parse_datetime=False)
    return time.perf_counter() - started


def differential(folder: Path) -> dict:
    """Both YAML paths on every file: how many took the fast path, how many differ (must be 0)."""
    from catalogue_lib import yaml_fast
    from catalogue_lib.source_yaml import _load_yaml

    def view(entry: tuple) -> tuple:
        recs, probs = entry
        return [(r.json, r.id, r.owner, r.line, r.overrides) for r in recs], [str(p) for p in probs]

    fast = differ = total = 0
    for f in sorted(folder.glob("*.yaml")):
        text = f.read_text(encoding="utf-8")
        total += 1
        fast += yaml_fast.fast_load(text) is not None
        differ += view(_load_yaml(text, f.name)) != view(_load_yaml(text, f.name, fast=False))
    return {"files": total, "fast": fast, "differ": differ}


def summary_in_process(folder: Path, cache_dir: Path | None) -> tuple[float, float]:
    """open_catalogue + summary, as `catalogue summary` does after its imports (parsing on every
    core, as the command does): (seconds to open the catalogue, seconds in all)."""
    import datetime as dt
    import gc

    from catalogue_lib.cache import open_cache
    from catalogue_lib.catalogue import open_catalogue, summary
    from catalogue_lib.workers import available

    cache = open_cache(cache_dir) if cache_dir else None
    started = time.perf_counter()
    cat = open_catalogue([str(folder)], cache=cache, workers=available())
    opened = time.perf_counter() - started
    summary(cat, dt.date.fromisoformat(AS_OF))
    took = time.perf_counter() - started
    cat.con.close()
    if cache is not None:
        cache.close()
    del cat
    gc.collect()
    return opened, took


def cold_summary(n: int) -> tuple[float, float]:
    """summary_in_process without a cache, in a new process that has imported the package, as
    the command runs: this one runs the app's threads, beside which a load never forks workers."""
    proc = subprocess.run(
        [sys.executable, __file__, "--cold", str(n)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=True,
    )
    opened, took = json.loads(proc.stdout.strip().splitlines()[-1])
    return opened, took


def summary_command(folder: Path, *cache_args: str) -> float:
    """Wall time of `catalogue summary` in a new process (interpreter and imports included)."""
    started = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "catalogue_lib.cli", "summary", str(folder), "--as-of", AS_OF]
        + list(cache_args),
        check=True,
        capture_output=True,
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    return time.perf_counter() - started


def first_page(folder: Path, cache: str) -> float:
    """A server restart: the home page's first run on a new process-wide LiveCatalogue."""
    import gc

    import streamlit as st
    from streamlit.testing.v1 import AppTest

    from catalogue_lib import ui

    if "CATALOGUE_PATH" in os.environ:  # the previous "server": its watcher thread let go
        old = ui._live(ui.catalogue_paths())
        old.close()
        if old.catalogue is not None:
            old.catalogue.con.close()

    os.environ["CATALOGUE_PATH"] = str(folder)
    os.environ["CATALOGUE_CACHE"] = cache
    st.cache_resource.clear()
    st.cache_data.clear()
    gc.collect()
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=600)
    started = time.perf_counter()
    at.run()
    took = time.perf_counter() - started
    if at.exception:
        raise RuntimeError(f"first page: {at.exception[0].value}")
    return took


def measure(n: int) -> dict:
    """Everything for one size, in this process."""
    folder = dataset(n)
    cache_dir = DATA / f"cache-n{n}"
    shutil.rmtree(cache_dir, ignore_errors=True)
    for f in folder.glob("*.yaml"):  # every file in the OS's cache first: each floor reads warm
        f.read_bytes()
    out: dict = {
        "n": n,
        "parse_s": median_of(lambda: parse_only(folder)),
        "fast_parse_s": median_of(lambda: fast_parse_only(folder)),
    }
    out["loadavg"] = os.getloadavg()[0]
    if n == 10_000:
        out["differential"] = differential(folder)

    # the app first, as a server would run it, so that peak memory is the app's: a cold first
    # page (the cache empty; it is filled on the way), every page, a reload after one edit
    out["first_run_s"] = first_page(folder, str(cache_dir))
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=600)
    at.run()
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

    # a server restart with the cache warm, then the command-line figures
    out["first_run_warm_s"] = first_page(folder, str(cache_dir))
    colds = sorted((cold_summary(n) for _ in range(RUNS)), key=lambda r: r[1])
    out["load_s"], out["summary_cold_s"] = colds[len(colds) // 2]
    out["summary_warm_s"] = median_of(lambda: summary_in_process(folder, cache_dir)[1])
    out["command_cold_s"] = median_of(lambda: summary_command(folder, "--no-cache"))
    out["command_warm_s"] = median_of(lambda: summary_command(folder, "--cache", str(cache_dir)))
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


def load_table(results: list[dict]) -> str:
    """Loading against the two parse-only floors; ratios are to CSafeLoader in the same run."""
    lines = [
        "| integrations | CSafeLoader parse (s) | yaml-rs parse (s) | summary, no cache (s) | "
        "summary, warm cache (s) | `catalogue summary` command, no cache / warm (s) | "
        "first page: first start / restart, warm cache (s) | peak RSS (MB) | load average |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for r in results:
        p = r["parse_s"]

        def x(v: float, p: float = p) -> str:
            return f"{v:.2f} ({v / p:.2f}x)"

        lines.append(
            f"| {r['n']:,} | {p:.2f} | {x(r['fast_parse_s'])} | {x(r['summary_cold_s'])} | "
            f"{x(r['summary_warm_s'])} | {x(r['command_cold_s'])} / {x(r['command_warm_s'])} | "
            f"{x(r['first_run_s'])} / {x(r['first_run_warm_s'])} | {r['peak_rss_mb']:.0f} | "
            f"{r['loadavg']:.1f} |"
        )
    text = "\n".join(lines) + "\n"
    text += (
        "\nRatios (in brackets) are to CSafeLoader parsing the same files in the same run. "
        "The parse floors, the summaries and the commands are each the median of three runs. "
        '"summary" is `open_catalogue` + `summary()` in a process that has imported the '
        "package (what the command does after its imports); the command's wall time adds the "
        'interpreter and its imports. "Warm" is a second run with nothing changed. The first '
        "page's first start is a server's very first (the cache empty: it is filled on the "
        "way), the restart one with the cache warm. Peak RSS is the app's (first page, every "
        "page, a reload after one edit). The load average (1 minute) was read as each size "
        "started: the machine is shared.\n"
    )
    for r in results:
        d = r.get("differential")
        if d:
            text += (
                f"\nFast and careful YAML paths on all {d['files']:,} files at {r['n']:,}: "
                f"{d['fast']:,} took the fast path, {d['differ']} differ in records or problems.\n"
            )
    return text


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--sizes", default="100,1000,10000,50000")
    parser.add_argument(
        "--only-10000", action="store_true", help="only 10,000 (when 50,000 takes too long)"
    )
    parser.add_argument("--no-browser", action="store_true")
    parser.add_argument("--out", default=str(ROOT / "benchmarks" / "results.md"))
    parser.add_argument("--one", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--cold", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.cold:
        import catalogue_lib.catalogue  # noqa: F401 (imported before the clock starts)

        print(json.dumps(summary_in_process(dataset(args.cold), None)))
        return 0
    if args.one:
        print(json.dumps(measure(args.one)))
        return 0
    sizes = [10_000] if args.only_10000 else [int(s) for s in args.sizes.split(",")]
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
    text = load_table(results) + "\n" + table(results, browser)
    print(text)
    Path(args.out).write_text(
        f"# Benchmark results\n\nMachine: {machine()}.\n\n{text}", encoding="utf-8"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
