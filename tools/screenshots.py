"""Screenshots of every dashboard page, with page and chart heights: for looking at what we build.

    python tools/screenshots.py [CATALOGUE] [--out DIR] [--width 1440 --height 900] [--dark]

Starts the app on a free port (the sample in data/ by default), opens each page in headless
Chromium, waits until every chart is drawn, saves a full-page PNG per page and prints the page's
height and its tallest chart. The browser tests use the same helpers.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.browser_support import (  # noqa: E402
    PAGE_PATHS,
    full_page,
    launch,
    measure,
    open_page,
    start_server,
    stop_server,
)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("catalogue", nargs="?", default=str(ROOT / "data"))
    ap.add_argument("--out", default=str(ROOT / "test-output" / "screens"))
    ap.add_argument("--width", type=int, default=1440)
    ap.add_argument("--height", type=int, default=900)
    ap.add_argument("--dark", action="store_true")
    ap.add_argument("--pages", nargs="*", default=None, help="url paths (default: every page)")
    ap.add_argument(
        "--query", default="", help="query string added to every page, e.g. as_of=2027-01-01"
    )
    args = ap.parse_args(argv)
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    proc, url = start_server(Path(args.catalogue))
    try:
        with launch() as browser:
            ctx = browser.new_context(
                viewport={"width": args.width, "height": args.height},
                color_scheme="dark" if args.dark else "light",
            )
            pg = ctx.new_page()
            for path in args.pages if args.pages is not None else PAGE_PATHS:
                q = f"?{args.query}" if args.query else ""
                open_page(pg, f"{url}/{path}{q}")
                name = (path or "home").lower()
                tag = f"{args.width}x{args.height}{'-dark' if args.dark else ''}"
                sizes = measure(pg)
                print(json.dumps({"page": name, **sizes}))
                full_page(pg, out / f"{name}-{tag}.png", sizes["page_px"])
                pg.set_viewport_size({"width": args.width, "height": args.height})
    finally:
        stop_server(proc)
    return 0


if __name__ == "__main__":
    sys.exit(main())
