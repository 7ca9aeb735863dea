"""Many people at once: N browser sessions on one server, each changing its own filters.

    python benchmarks/concurrency.py            # 20 sessions on the sample catalogue

Each session opens a shared link (an owner filter), then picks a partner type
in the sidebar, and checks that the headline count is its own: right for its
filters, never another session's. Prints the time from a filter change to the
redrawn page, alone and with all sessions at once: the figures live here only.
tests/test_concurrency.py runs the same sessions (a few, with a generous bounded
wait) and asserts only what each session saw, never how long it took.
"""

from __future__ import annotations

import asyncio
import statistics
import sys
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

READY = """() => !document.querySelector(
    '[data-testid="stStatusWidget"], [data-testid="stSkeleton"], [data-stale="true"]')"""


@dataclass
class Plan:
    owner: str
    partner_type: str
    expected_owner_count: int
    expected_both_count: int


def plans(catalogue: Path, n: int) -> list[Plan]:
    """n filter combinations and the headline count each must show (from DuckDB directly)."""
    from catalogue_lib.catalogue import open_catalogue

    cat = open_catalogue([str(catalogue)])
    rows = cat.con.execute(
        "SELECT coalesce(owner, '(no owner)') AS owner, type, count(*) FROM integrations GROUP BY ALL"
    ).fetchall()
    per_owner: dict[str, dict[str, int]] = {}
    for owner, kind, count in rows:
        per_owner.setdefault(owner, {})[kind] = count
    owners = sorted(o for o in per_owner if o != "(no owner)")
    out = []
    for i in range(n):
        owner = owners[i % len(owners)]
        kind = ("shop", "carrier")[i % 2]
        counts = per_owner[owner]
        out.append(Plan(owner, kind, sum(counts.values()), counts.get(kind, 0)))
    return out


async def _metric(page) -> str:  # noqa: ANN001
    return (await page.locator('[data-testid="stMetricValue"]').first.inner_text()).strip()


async def _wait_for(page, expected: str, timeout: float = 180.0) -> str:  # noqa: ANN001
    deadline = time.monotonic() + timeout
    value = ""
    while time.monotonic() < deadline:
        await page.wait_for_function(READY, timeout=timeout * 1000)
        value = await _metric(page)
        if value == expected:
            return value
        await page.wait_for_timeout(100)
    return value


async def _session(  # noqa: ANN001
    browser, url: str, plan: Plan, start: asyncio.Event, timeout: float = 180.0
) -> dict:
    from urllib.parse import quote

    context = await browser.new_context(viewport={"width": 1300, "height": 900})
    page = await context.new_page()
    dialogs: list[str] = []
    page.on("dialog", lambda d: dialogs.append(d.message))
    await start.wait()
    await page.goto(
        f"{url}/?owner={quote(plan.owner)}", wait_until="domcontentloaded", timeout=timeout * 1000
    )
    await page.wait_for_selector('[data-testid="stMetricValue"]', timeout=timeout * 1000)
    first = await _wait_for(page, str(plan.expected_owner_count), timeout)
    box = page.locator('[data-testid="stSidebar"] [data-testid="stMultiSelect"]').first
    started = time.perf_counter()
    await box.click()
    await page.get_by_role("option", name=plan.partner_type, exact=True).click()
    await page.keyboard.press("Escape")
    second = await _wait_for(page, str(plan.expected_both_count), timeout)
    rerun = time.perf_counter() - started
    try:  # the URL follows the filters on every run
        await page.wait_for_url(f"**type={plan.partner_type}**", timeout=60_000)
    except Exception:
        pass
    shown_url = page.url
    exceptions = await page.locator('[data-testid="stException"]').count()
    await context.close()
    return {
        "plan": plan,
        "first": first,
        "second": second,
        "rerun_s": rerun,
        "url": shown_url,
        "exceptions": exceptions,
        "dialogs": dialogs,
    }


async def run_sessions(url: str, catalogue: Path, n: int, timeout: float = 180.0) -> list[dict]:
    """n browser sessions at once; each waits at most `timeout` seconds for each outcome."""
    from playwright.async_api import async_playwright

    from tests.test_browser import CHROMIUM, CHROMIUM_ARGS

    async with async_playwright() as p:
        browser = await p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        start = asyncio.Event()
        tasks = [
            asyncio.create_task(_session(browser, url, plan, start, timeout))
            for plan in plans(catalogue, n)
        ]
        start.set()
        results = await asyncio.gather(*tasks)
        await browser.close()
    return results


def check(results: list[dict]) -> list[str]:
    """What went wrong, session by session (empty when every session saw only its own data)."""
    problems = []
    for i, r in enumerate(results):
        plan = r["plan"]
        if r["first"] != str(plan.expected_owner_count):
            problems.append(
                f"session {i}: owner {plan.owner!r} showed {r['first']}, expected {plan.expected_owner_count}"
            )
        if r["second"] != str(plan.expected_both_count):
            problems.append(
                f"session {i}: {plan.owner!r} + {plan.partner_type} showed {r['second']}, expected {plan.expected_both_count}"
            )
        if f"type={plan.partner_type}" not in r["url"]:
            problems.append(f"session {i}: URL {r['url']} lost its filter")
        if r["exceptions"] or r["dialogs"]:
            problems.append(f"session {i}: {r['exceptions']} exceptions, dialogs {r['dialogs']}")
    return problems


def main() -> int:
    from tests.test_browser import start_server

    n = int(sys.argv[1]) if len(sys.argv) > 1 else 20
    catalogue = ROOT / "data"
    proc, url = start_server(catalogue)
    try:
        alone = asyncio.run(run_sessions(url, catalogue, 1))
        together = asyncio.run(run_sessions(url, catalogue, n))
    finally:
        proc.terminate()
        proc.wait(timeout=30)
    problems = check(alone) + check(together)
    times = [r["rerun_s"] for r in together]
    print(f"one session: filter change to redrawn page {alone[0]['rerun_s']:.2f} s")
    print(
        f"{n} sessions at once: median {statistics.median(times):.2f} s, "
        f"max {max(times):.2f} s ({statistics.median(times) / alone[0]['rerun_s']:.1f}x one session)"
    )
    print(
        "every session saw only its own filters and results"
        if not problems
        else "\n".join(problems)
    )
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
