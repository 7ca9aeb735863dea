"""`catalogue`: validate, summarise and export a catalogue from the command line (for CI and reports).

Each command imports what it needs when it runs: `--help`, `schema`, `generate` and a
`history` rerun with nothing new do not pay for pandas, pyarrow or the record loader.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from . import figures
from .filters import NO_OWNER, NOT_SET, UNKNOWN, Filters, strict_date
from .paths import default_paths

if TYPE_CHECKING:
    from .catalogue import Catalogue
    from .load import Problem

EXPORT_FORMATS = ("csv", "json", "markdown")  # export.FORMATS, named here so --help needs no loader


def _date(text: str) -> dt.date:
    day = strict_date(text)
    if day is None:
        raise argparse.ArgumentTypeError(f"not a date YYYY-MM-DD: {text!r}")
    return day


def _count(text: str) -> int:
    try:
        n = int(text)
    except ValueError:
        n = -1
    if n < 0:
        raise argparse.ArgumentTypeError(f"not a whole number 0 or more: {text!r}")
    return n


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="catalogue",
        description="Validate, summarise and export an integrations catalogue. "
        "With no PATH, the sample catalogue in data/ (or $CATALOGUE_PATH) is used.",
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    def add(name: str, help_text: str) -> argparse.ArgumentParser:
        p = sub.add_parser(name, help=help_text, description=help_text)
        p.add_argument("paths", nargs="*", metavar="PATH", help="catalogue folders or files")
        p.add_argument("--db", metavar="FILE", help="keep the DuckDB database in FILE (replaced)")
        p.add_argument(
            "--cache",
            metavar="DIR",
            help="keep parsed records (and, for initiatives, the history snapshot store) in DIR "
            "between runs (default: $CATALOGUE_CACHE, else the per-user cache folder)",
        )
        p.add_argument(
            "--no-cache", action="store_true", help="parse every file, read and write no cache"
        )
        return p

    p = add(
        "validate", "Check records; exit 0 when there is no error (warnings allowed), 1 otherwise."
    )
    p.add_argument("--format", choices=["text", "json", "github"], default="text")

    p = add("summary", "Headline figures: counts, checks, deadlines, owners' risk, problems.")
    p.add_argument("--as-of", type=_date, default=None, metavar="YYYY-MM-DD", help="default: today")
    p.add_argument("--format", choices=["text", "json"], default="text")

    p = add("export", "Write the records as the template's Markdown table, CSV or JSON.")
    p.add_argument("--format", choices=EXPORT_FORMATS, default="markdown")

    p = add(
        "backlog", "The prioritised stability backlog: every gap, deadline and high risk, scored."
    )
    p.add_argument("--as-of", type=_date, default=None, metavar="YYYY-MM-DD", help="default: today")
    p.add_argument("--format", choices=["markdown", "csv", "json"], default="markdown")
    p.add_argument("--owner", metavar="NAME", help="only this owner's integrations")
    p.add_argument("--limit", type=_count, default=None, metavar="N", help="only the first N items")

    p = add("digest", "One owner's levels, gaps with fixes, deadlines and risks, as Markdown.")
    p.add_argument("--owner", required=True, metavar="NAME")
    p.add_argument("--as-of", type=_date, default=None, metavar="YYYY-MM-DD", help="default: today")
    p.add_argument("--format", choices=["markdown"], default="markdown")

    p = sub.add_parser(
        "history",
        help="Headline figures for every day the catalogue's git history has a commit.",
        description="Headline figures for every day with a commit touching the catalogue folder "
        "(the day's last commit on HEAD's first-parent line), each as of its own day. Snapshots "
        "are stored in a cache folder, so a rerun evaluates only new days.",
    )
    p.add_argument("paths", nargs="?", metavar="PATH", help="the catalogue folder")
    p.add_argument("--since", type=_date, default=None, metavar="YYYY-MM-DD")
    p.add_argument("--until", type=_date, default=None, metavar="YYYY-MM-DD")
    p.add_argument("--format", choices=["text", "json"], default="text")
    p.add_argument("--cache", metavar="DIR", help="keep the snapshot store in DIR")
    p.add_argument(
        "--parquet", metavar="DIR", help="also write the snapshots as Parquet partitioned by month"
    )

    p = add("initiatives", "Each initiative's progress, burn-up and the integrations still short.")
    p.add_argument("--as-of", type=_date, default=None, metavar="YYYY-MM-DD", help="default: today")
    p.add_argument("--format", choices=["text", "json"], default="text")
    # --cache DIR (from add) also holds the history snapshot store here

    p = add(
        "figures",
        "The headline figures of the dashboard's pages (home, coverage, deprecations, backlog, "
        "risk) with their targets, for the same filters as the sidebar's.",
    )
    p.add_argument("--as-of", type=_date, default=None, metavar="YYYY-MM-DD", help="default: today")
    p.add_argument(
        "--type",
        action="append",
        default=[],
        choices=["shop", "carrier"],
        metavar="TYPE",
        help="shop or carrier",
    )
    p.add_argument("--owner", action="append", default=[], metavar="NAME")
    p.add_argument("--partner", action="append", default=[], metavar="NAME")
    p.add_argument(
        "--criticality",
        action="append",
        default=[],
        choices=["high", "medium", "low", NOT_SET, UNKNOWN],
        metavar="LEVEL",
        help="high, medium, low, 'not set' or 'unknown' (a table row's)",
    )
    p.add_argument(
        "--direction",
        action="append",
        default=[],
        choices=["inbound", "outbound"],
        metavar="DIR",
        help="inbound or outbound",
    )
    p.add_argument("--search", default="", metavar="TEXT")
    p.add_argument(
        "--horizon",
        type=int,
        choices=figures.HORIZONS,
        default=90,
        help="days ahead (Deprecations)",
    )
    p.add_argument("--format", choices=["json", "text"], default="json")

    sub.add_parser("schema", help="Print the record JSON Schema (for editor completion).")

    p = sub.add_parser(
        "generate",
        help="Write a synthetic catalogue, one YAML file per integration.",
        description="Write a realistic synthetic catalogue (fictional), one YAML file per integration.",
    )
    p.add_argument("--integrations", type=int, default=100, metavar="N", help="default: 100")
    p.add_argument("--out", required=True, metavar="DIR")
    p.add_argument("--seed", type=int, default=1, metavar="S")
    p.add_argument(
        "--sample", action="store_true", help="write the named sample catalogue (data/) instead"
    )
    p.add_argument(
        "--force",
        action="store_true",
        help="write into DIR even if it holds files (replacing them)",
    )
    return parser


def _github(p: Problem) -> str:
    def esc(text: str) -> str:
        return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")

    props = f"file={esc(p.path).replace(',', '%2C').replace(':', '%3A')}"
    if p.line:
        props += f",line={p.line}"
    return f"::{p.severity} {props}::{esc(p.message)}"


def cmd_validate(cat: Catalogue, fmt: str) -> int:
    res = cat.result
    if fmt == "json":
        print(
            json.dumps(
                {
                    "records": len(res.records),
                    "errors": len(res.errors),
                    "warnings": len(res.warnings),
                    "problems": [p.__dict__ for p in res.problems],
                },
                indent=2,
            )
        )
    else:
        for p in res.problems:
            print(_github(p) if fmt == "github" else str(p))
        print(
            f"{_n(len(res.records), 'record')} valid in {_n(len(res.files), 'file')}; "
            f"{_n(len(res.errors), 'error')}, {_n(len(res.warnings), 'warning')}",
            file=sys.stderr if fmt == "github" else sys.stdout,
        )
    return 1 if res.errors else 0


def _n(count: int, word: str) -> str:
    """'1 error', '2 errors', '0 errors': present.plural without importing pandas, which a
    `history` rerun that reads only its store never loads (tests/test_history.py)."""
    return f"{count:,} {word}{'' if count == 1 else 's'}"


def _text_summary(s: dict[str, Any], as_of: dt.date) -> str:
    out = [f"Catalogue as of {as_of.isoformat()}"]
    types = ", ".join(f"{n} {t}" for t, n in s["by_type"].items())
    out.append(f"Integrations: {s['integrations']} ({types})")
    out.append("")
    out.append(f"{'check':<20} {'pass':>5} {'fail':>5} {'n/a':>5} {'unknown':>8}")
    for name, c in s["checks"].items():
        out.append(f"{name:<20} {c['pass']:>5} {c['fail']:>5} {c['na']:>5} {c['unknown']:>8}")
    overdue = [d for d in s["deadlines"] if d["overdue"]]
    upcoming = [d for d in s["deadlines"] if not d["overdue"]]
    out.append("")
    out.append(f"Deadlines: {len(overdue)} overdue, {len(upcoming)} upcoming")
    for d in overdue + upcoming[:10]:
        when = f"{-d['days']} days overdue" if d["overdue"] else f"in {d['days']} days"
        shown = f"{d['written']} (approximate)" if d.get("written") else d["date"]
        notes = " (derived)" if d.get("derived") else ""
        if d.get("due_by"):
            notes += f", due by {d['due_by']} (freeze {d['freeze']})"
        out.append(f"  {shown:<10}  {d['id']:<28} {d['kind']:<15} {when}{notes}")
    if len(upcoming) > 10:
        out.append(f"  ... and {len(upcoming) - 10} more upcoming")
    out.append("")
    out.append(f"{'owner':<28} {'integrations':>12} {'high crit':>9} {'risk':>6} {'share':>7}")
    for o in s["owners"]:
        name = o["owner"] or "(no owner)"
        out.append(
            f"{name[:28]:<28} {o['integrations']:>12} {o['high_criticality']:>9} "
            f"{o['risk_score']:>6} {o['risk_share']:>7.1%}"
        )
    out.append("")
    errors, warnings = s["problems"]["errors"], s["problems"]["warnings"]
    out.append(f"Problems: {_n(errors, 'error')}, {_n(warnings, 'warning')}")
    return "\n".join(out)


def _unknown_owner(cat: Catalogue, name: str) -> int:
    owners = sorted({r.owner or NO_OWNER for r in cat.result.records})
    print(
        f"catalogue: error: no integration is owned by {name!r}; owners: {', '.join(owners)}",
        file=sys.stderr,
    )
    return 1


def _text_history(rows: list[dict[str, Any]]) -> str:
    out = [
        f"{'date':<10} {'commit':<8} {'integr.':>7} {'active':>6} {'must-haves':>10} "
        f"{'overdue':>7} {'risk':>6}  levels"
    ]
    for r in rows:
        levels = " ".join(f"{k} {v}" for k, v in r["levels"].items())
        line = (
            f"{r['date']:<10} {(r['commit'] or 'today')[:8]:<8} {r['integrations']:>7} "
            f"{r['active']:>6} {r['must_haves_passing']:>10} {r['overdue']:>7} "
            f"{r['risk_score']:>6}  {levels}"
        )
        if r["errors"]:
            line += f"  ({_n(len(r['errors']), 'error')}: {r['errors'][0]})"
        out.append(line)
    return "\n".join(out)


def cmd_history(args: argparse.Namespace) -> int:
    import duckdb

    from .history import GitError, open_history

    path = args.paths or default_paths()[0]
    if not Path(path).is_dir():
        print(f"catalogue: error: {path}: not a folder", file=sys.stderr)
        return 2
    try:
        hist = open_history(path, args.since, args.until, args.cache)
    except (GitError, duckdb.Error, OSError) as exc:
        print(f"catalogue: error: {exc}", file=sys.stderr)
        return 2
    try:
        if hist.note:
            print(f"catalogue: {hist.note}", file=sys.stderr)
        rows = hist.figures(since=args.since, until=args.until)
        print(json.dumps(rows, indent=2) if args.format == "json" else _text_history(rows))
        for r in rows:
            for e in r["errors"]:
                print(f"{r['date']} {(r['commit'] or '')[:8]}: {e}", file=sys.stderr)
        if args.parquet:
            where = hist.export_parquet(args.parquet)
            print(f"wrote Parquet snapshots to {where}", file=sys.stderr)
    finally:
        hist.close()
    return 0


def cmd_initiatives(cat: Catalogue, args: argparse.Namespace) -> int:
    from . import initiatives

    as_of = args.as_of or dt.date.today()
    data = initiatives.report(cat, as_of, initiatives.history_for(cat.paths, args.cache))
    if args.format == "json":
        print(json.dumps(data, indent=2))
        return 0
    from .trends import titles_of

    titles = cat.query("scorecard_titles")
    print(initiatives.as_text(data, titles_of(titles, "check"), titles_of(titles, "level")))
    return 0


def cmd_figures(cat: Catalogue, args: argparse.Namespace) -> int:
    from . import db, report

    as_of = args.as_of or dt.date.today()
    owners: list[str] = []
    for name in args.owner:  # read as backlog and digest read --owner: any case, a team's aliases
        meant = report.owner_names(cat, name)
        if not meant:
            return _unknown_owner(cat, name)
        owners.extend(meant)
    partners: list[str] = []
    known = sorted(set(db.query(cat.con, "filter_options")["partner"].dropna()))
    for name in args.partner:  # any case, like --owner; a typo must not read as zero integrations
        meant = [p for p in known if p.casefold() == name.casefold()]
        if not meant:
            print(
                f"catalogue: error: no integration's partner is {name!r}; partners: "
                f"{', '.join(known)}",
                file=sys.stderr,
            )
            return 1
        partners.extend(meant)
    f = Filters(
        types=tuple(args.type),
        owners=tuple(dict.fromkeys(owners)),
        partners=tuple(dict.fromkeys(partners)),
        criticalities=tuple(args.criticality),
        directions=tuple(args.direction),
        search=args.search,
    )

    def run(name: str, **extra: Any):  # -> pd.DataFrame
        return db.query(cat.con, name, **f.sql_params(), as_of=as_of, **extra)

    figs = figures.all_figures(run, args.horizon)
    out = {"as_of": as_of.isoformat(), **figs, "targets": figures.judged(figs["home"])}
    print(json.dumps(out, indent=2) if args.format == "json" else _text_figures(out))
    return 0


def _text_figures(out: dict[str, Any]) -> str:
    """The JSON's figures and targets, one per line, in the words the home page's tiles use."""

    def shown(v: Any) -> str:
        if isinstance(v, dict):  # levels: "No level 12, Bronze 3", not a Python dict
            return ", ".join(f"{k} {n}" for k, n in v.items()) or "-"
        return f"{v:.1%}" if isinstance(v, float) else "-" if v is None else str(v)

    lines = [f"Figures as of {out['as_of']}"]
    for page, values in out.items():
        if page in ("as_of", "targets"):
            continue
        lines.append(f"\n{page}")
        lines.extend(f"  {k:<34} {shown(v)}" for k, v in values.items())
    lines.append("\ntargets")
    for name, t in out["targets"].items():
        lines.append(f"  {name:<34} {figures.verdict(t['status'], t['target'])}")
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    try:
        return _main(argv)
    except KeyboardInterrupt:  # Ctrl-C: the work stops (workers and custom checks too), quietly
        return _interrupted()
    except BrokenPipeError:  # `catalogue summary | head`: the reader has all it wanted
        # what is still buffered would fail again at exit: it goes nowhere instead
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 141  # as a shell reports a command ended by SIGPIPE
    except RuntimeError as exc:  # Ctrl-C during a DuckDB query: DuckDB raises this instead
        if str(exc) != "Query interrupted":
            raise
        return _interrupted()


def _interrupted() -> int:
    print("catalogue: interrupted", file=sys.stderr)
    return 130


def _main(argv: Sequence[str] | None) -> int:
    args = build_parser().parse_args(argv)
    if args.command == "schema":
        from .model import json_schema

        print(json.dumps(json_schema(), indent=2))
        return 0
    if args.command == "generate":
        out = Path(args.out)
        if out.exists() and not out.is_dir():
            print(f"catalogue: error: {args.out} is a file, not a folder", file=sys.stderr)
            return 2
        if out.is_dir() and any(out.iterdir()) and not args.force:
            print(
                f"catalogue: error: {args.out} is not empty; generate writes only into a new or "
                "empty folder, so no hand-written record is replaced (--force to write anyway)",
                file=sys.stderr,
            )
            return 2
        from . import generate

        records = (
            generate.sample_records()
            if args.sample
            else generate.synthetic_records(args.integrations, args.seed)
        )
        ref = "../docs/record.schema.json" if args.sample else None
        n = generate.write_records(records, Path(args.out), schema_ref=ref)
        print(f"wrote {n} records to {args.out}", file=sys.stderr)
        return 0
    if args.command == "history":
        return cmd_history(args)
    if args.command != "validate":  # validate reports a missing path as one of its problems
        paths = args.paths or default_paths()
        missing = [p for p in paths if not os.path.lexists(p)]
        if missing:  # a typo in CI must not pass as an empty catalogue with exit 0
            print(f"catalogue: error: {missing[0]}: no such file or folder", file=sys.stderr)
            return 2
    import duckdb

    from .cache import open_cache
    from .catalogue import open_catalogue, summary
    from .db import DatabaseError
    from .progress import TerminalProgress
    from .workers import available

    bar = TerminalProgress()
    try:
        cache = open_cache(args.cache, enabled=not args.no_cache)
        cat = open_catalogue(args.paths, args.db or ":memory:", cache, bar, workers=available())
    except DatabaseError as exc:
        print(f"catalogue: error: {exc}", file=sys.stderr)
        return 2
    except (duckdb.Error, OSError) as exc:  # the reason only: DuckDB's text names server paths
        where = f"database {args.db}" if args.db else "the in-memory database"
        print(f"catalogue: error: cannot use {where}: {type(exc).__name__}", file=sys.stderr)
        return 2
    finally:
        bar.close()
    if args.command == "validate":
        return cmd_validate(cat, args.format)
    if args.command == "summary":
        as_of = args.as_of or dt.date.today()
        s = summary(cat, as_of)
        print(json.dumps(s, indent=2) if args.format == "json" else _text_summary(s, as_of))
        return 0
    if args.command == "initiatives":
        return cmd_initiatives(cat, args)
    from . import report  # pandas: imported only by the commands that need it

    if args.command == "backlog":
        as_of = args.as_of or dt.date.today()
        filters = None
        if args.owner:
            owners = report.owner_names(cat, args.owner)
            if not owners:
                return _unknown_owner(cat, args.owner)
            filters = Filters(owners=owners)
        df = report.backlog(cat, as_of, filters, args.limit)
        sys.stdout.write(report.format_backlog(df, args.format, as_of))
        if args.format == "json":
            sys.stdout.write("\n")
        return 0
    if args.command == "digest":
        as_of = args.as_of or dt.date.today()
        text = report.digest(cat, args.owner, as_of)
        if text is None:
            return _unknown_owner(cat, args.owner)
        sys.stdout.write(text)
        return 0
    if args.command == "figures":
        return cmd_figures(cat, args)
    if args.command == "export":
        from . import export

        for p in cat.result.errors:
            print(str(p), file=sys.stderr)
        rows = export.stored_rows(cat)
        warn = export.json_warnings if args.format == "json" else export.table_warnings
        for line in warn(rows):
            print(f"warning: {line}", file=sys.stderr)
        sys.stdout.write(export.FORMATS[args.format](rows))
        if args.format == "json":
            sys.stdout.write("\n")
        return 0
    return 2  # pragma: no cover - argparse rejects unknown commands


if __name__ == "__main__":
    sys.exit(main())
