"""Where the catalogue is when no path is given (kept apart so the command line can find it
without importing the loading machinery)."""

from __future__ import annotations

import os
from pathlib import Path

ENV_VAR = "CATALOGUE_PATH"
REPO_DATA = Path(__file__).resolve().parent.parent / "data"


def default_paths() -> list[str]:
    """$CATALOGUE_PATH (several joined with the OS path separator), else the sample in data/."""
    env = os.environ.get(ENV_VAR, "").strip()
    if env:
        return [p for p in env.split(os.pathsep) if p]
    if REPO_DATA.is_dir():
        return [str(REPO_DATA)]
    return ["data"]
