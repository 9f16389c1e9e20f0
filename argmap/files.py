"""Reading files safely, for every stage that reads one: regular files only, never waiting on a
FIFO or a device, never more than a cap, and never outside the folder they must lie in.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path


def read_regular_file(path: Path, limit: int, *, follow: bool = True) -> bytes | None:
    """At most `limit` bytes of `path`, or None if it is not a regular file.

    Opened without blocking and checked again once open, so that a file swapped for a FIFO or a
    device after the caller's `stat` cannot make argmap wait forever. With `follow=False` (for
    a path already resolved and checked), a symbolic link swapped in since is not followed.
    """
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)
    fd = os.open(path, flags if follow else flags | getattr(os, "O_NOFOLLOW", 0))
    with os.fdopen(fd, "rb") as f:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            return None
        return f.read(limit)


def is_inside(path: Path, folder: Path) -> bool:
    """True if `path`, its links followed, lies in `folder` (its links followed too)."""
    return path.resolve().is_relative_to(folder.resolve())
