"""Files of one idea each: no module of argmap/ grows past 400 lines (issue 16), so that each
can be held in one's head. A module that needs more is two ideas: split it."""

from __future__ import annotations

from pathlib import Path

MAX_LINES = 400
PACKAGE = Path(__file__).resolve().parent.parent / "argmap"


def test_no_module_of_argmap_is_over_400_lines() -> None:
    sizes = {
        path.relative_to(PACKAGE.parent).as_posix(): len(path.read_text("utf-8").splitlines())
        for path in sorted(PACKAGE.rglob("*.py"))
    }
    assert len(sizes) > 50, "the package was not found where the test looks"
    over = {name: n for name, n in sizes.items() if n > MAX_LINES}
    assert not over, f"over {MAX_LINES} lines (split each by idea): {over}"
