"""argmap: claim-and-rebuttal argument maps, from claims.yaml to a diagram and a briefing page.

The flow is load → validate → evaluate → render → write, one module per stage, `cli` on top.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

__version__ = "0.1.0"


def open(path: str | Path, *, strict: bool = False) -> dict[str, Any]:
    """The map at `path` as plain Python data (the JSON export's content: every point with
    its standing and reason, the pivotal points); `argmap.app.open_map`. Writes nothing."""
    from argmap.app import open_map

    return open_map(path, strict=strict)
