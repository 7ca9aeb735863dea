"""A loading progress bar for the command line: on a terminal only, and only once loading has
taken more than a second (a quick load prints nothing)."""

from __future__ import annotations

import sys
import time
from typing import TextIO

DELAY_SECONDS = 1.0
WIDTH = 30


class TerminalProgress:
    """progress(done, total) for load_paths: draws `reading files [####      ] 4,000 of 10,000`
    on stream (stderr) when it is a terminal, redrawn in place and cleared at the end."""

    def __init__(
        self, stream: TextIO | None = None, delay: float = DELAY_SECONDS, force: bool = False
    ) -> None:
        self.stream = stream if stream is not None else sys.stderr
        self.delay = delay
        self.enabled = force or _is_terminal(self.stream)
        self.started = time.monotonic()
        self.drawn = False

    def __call__(self, done: int, total: int) -> None:
        if not self.enabled or total <= 0:
            return
        if not self.drawn and time.monotonic() - self.started < self.delay:
            return
        filled = WIDTH * done // total
        bar = "#" * filled + " " * (WIDTH - filled)
        self.stream.write(f"\rreading files [{bar}] {done:,} of {total:,}")
        self.stream.flush()
        self.drawn = True

    def close(self) -> None:
        """Clear the bar (the terminal line is left empty for the command's own output)."""
        if self.drawn:
            self.stream.write("\r\x1b[2K")
            self.stream.flush()
            self.drawn = False


def _is_terminal(stream: TextIO) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False
