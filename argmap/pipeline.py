"""The stages joined, for callers that want a map checked in one call.

The flow, each stage a public function whose types show what it takes and gives:

    argmap.load.read_map(path)            -> Loaded      (stage 1, load)
    argmap.validate.validate(loaded)      -> Validated   (stage 2, validate)
    argmap.evaluate.evaluate(argmap)      -> Evaluation  (stage 3, evaluate)
    argmap.render.render(valid, verdicts) -> Rendered    (stage 4, render)
    argmap.write.write_all(folder, files)                (stage 5, write)

Nothing here prints or exits; `argmap.cli` does that.
"""

from __future__ import annotations

from pathlib import Path

from argmap.load import read_map
from argmap.validate import Validated, validate


def check(
    path: Path, display: str | None = None, *, strict: bool = False, collapse: bool = True
) -> Validated:
    """Load and validate; `InvalidMap` or `UsageError` when the map cannot be used.
    `collapse=False` shows every finding of a family (`argmap.validate.validate`)."""
    return validate(read_map(path, display), strict=strict, collapse=collapse)
