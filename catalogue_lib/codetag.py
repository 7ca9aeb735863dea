"""What every stored result depends on besides its input: the software that computed it.

Kept free of heavy imports, so a command that only reads stored results (a history rerun) can
check that they were computed by this very software without loading the loader.
"""

from __future__ import annotations

import hashlib
from functools import cache
from importlib import metadata
from pathlib import Path

# the packages whose behaviour decides what a file reads as, and what the database computes
DISTRIBUTIONS = (
    "integrations-catalogue",
    "pydantic",
    "pydantic-core",
    "PyYAML",
    "yaml-rs",
    "detect-secrets",
    "google-re2",
    "markdown-it-py",
    "python-slugify",
    "confusable-homoglyphs",
)


@cache
def code_tag() -> bytes:
    """A hash of the package's every module and SQL file and of the versions of the packages
    it relies on (DuckDB's included): stored results tagged otherwise are computed again."""
    h = hashlib.blake2b(digest_size=16)
    for dist in (*DISTRIBUTIONS, "duckdb"):
        try:
            h.update(f"{dist}={metadata.version(dist)};".encode())
        except metadata.PackageNotFoundError:
            h.update(f"{dist}=;".encode())
    here = Path(__file__).resolve().parent
    for f in sorted([*here.glob("*.py"), *here.glob("sql/*.sql")]):
        h.update(f.name.encode() + b"\0")
        h.update(f.read_bytes())
    return h.digest()
