"""A catalogue kept in a temporary git repository, committed to on chosen days."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
from pathlib import Path
from typing import Any

import yaml


class GitCatalogue:
    def __init__(self, root: Path, folder: str = "catalogue"):
        self.root = root
        self.dir = root / folder
        self.dir.mkdir(parents=True)
        self.git("init", "-q", "-b", "main")

    def git(self, *args: str, when: dt.datetime | None = None) -> str:
        env = {
            **os.environ,
            "GIT_AUTHOR_NAME": "Test",
            "GIT_AUTHOR_EMAIL": "test@example.com",
            "GIT_COMMITTER_NAME": "Test",
            "GIT_COMMITTER_EMAIL": "test@example.com",
            "GIT_CONFIG_NOSYSTEM": "1",
        }
        if when is not None:
            stamp = when.isoformat()
            env.update(GIT_AUTHOR_DATE=stamp, GIT_COMMITTER_DATE=stamp)
        return subprocess.run(
            ["git", *args], cwd=self.root, env=env, check=True, capture_output=True, text=True
        ).stdout

    def write(self, name: str, record: dict[str, Any] | str) -> None:
        text = record if isinstance(record, str) else yaml.safe_dump(record, sort_keys=False)
        (self.dir / name).write_text(text)

    def commit(self, day: dt.date, message: str, hour: int = 12) -> str:
        self.git("add", "-A")
        when = dt.datetime.combine(day, dt.time(hour), tzinfo=dt.UTC)
        self.git("commit", "-q", "--allow-empty", "-m", message, when=when)
        return self.git("rev-parse", "HEAD").strip()
