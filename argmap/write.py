"""Stage 5, write: put rendered bytes on disk atomically.

Each file is written to a temporary file in the same folder, flushed, then moved over the old
one with `os.replace`, so a reader sees the old whole file or the new whole file, never a part,
and a build that fails leaves the last good output in place.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Mapping
from pathlib import Path

from argmap.errors import WriteError


def write_atomic(path: Path, data: bytes) -> None:
    """Replace `path` with `data` in one step; `WriteError` (old file intact) if that fails."""
    folder = path.parent
    try:
        folder.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=folder)
    except OSError as e:
        raise WriteError(f"cannot write into {folder}/ ({e.strerror}); check that the folder "
                         "is writable, or choose another with -o DIR") from None
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except OSError as e:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise WriteError(f"could not write {path} ({e.strerror}); the previous file is left "
                         "as it was") from None


def write_all(folder: Path, files: Mapping[str, bytes]) -> list[Path]:
    """Write every file (already rendered in memory) into `folder`; the paths written."""
    written = []
    for name, data in files.items():
        write_atomic(folder / name, data)
        written.append(folder / name)
    return written
