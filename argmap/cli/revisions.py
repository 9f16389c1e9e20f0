"""The sides `argmap diff` was asked for: files, or git revisions of one map."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from argmap.diff import Spec
from argmap.errors import UsageError


def specs(sides: Sequence[str], paths: Sequence[str] | None, default: Path) -> tuple[Spec, Spec]:
    """The two sides `argmap diff` was asked for; `UsageError` if they do not make two.

    Before `--`: at most two sides, each an existing file or else a git revision; after it,
    the one map file the revisions are read from (`default`, claims.yaml, without it). With one
    side the other is the file as it is now; with none, the map at HEAD against it.
    """
    if paths is not None and len(paths) != 1:
        raise UsageError("argmap diff compares one map: give one path after --")
    if len(sides) > 2:
        raise UsageError(
            "argmap diff takes at most two sides (OLD NEW): files, or git revisions of "
            "claims.yaml (argmap diff main -- path/claims.yaml)"
        )
    path = Path(paths[0]) if paths else default
    for side in sides if not paths else ():
        if side.endswith((".yaml", ".yml")) and not Path(side).is_file():
            raise UsageError(f"{side}: no such file; give the path to a claims.yaml, or a revision")
    if paths:  # every side is a revision of `path`
        found = [Spec(path, rev) for rev in sides]
    else:
        files = [Path(side) for side in sides if Path(side).is_file()]
        path = files[-1] if files else default
        found = [Spec(Path(side)) if Path(side).is_file() else Spec(path, side) for side in sides]
    if not found:
        return Spec(path, "HEAD"), Spec(path)
    if len(found) == 1:
        return found[0], Spec(path)
    return found[0], found[1]
