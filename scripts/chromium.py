"""Debian's Chromium for the dev tools: where it is, and how to start it here.

Used by scripts/make_docs.py, scripts/bench_brief.py and the browser tests (tests/conftest.py).
"""

from __future__ import annotations

import shutil
from typing import Final

# As root, with the network closed: no sandbox, no background connections.
CHROMIUM_ARGS: Final = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def find_chromium() -> str | None:
    """Debian's Chromium (never a browser downloaded by a test tool), or None."""
    found = (shutil.which(name) for name in ("chromium", "chromium-browser"))
    return next((path for path in found if path), None)
