"""`argmap watch` writes the page first: the brief, the signal to reload, and only once the
open page has come back (its live script opens a new event stream) the outputs the page does
not read (argmap.json, the DOT, the SVG files), then the PNG."""

from __future__ import annotations

import json
import threading
from pathlib import Path

import pytest

from argmap import watch as watching
from argmap.watch import PAGE, REST, Rebuilder, State

MAP = """\
title: {title}
claims:
  - id: first
    text: The first point.
rebuttals:
  - id: answer
    rebuts: first
    text: An answer to it.
"""
POLLS = 20_000  # a bound on the polls of a file (each sleeps 1 ms): far beyond a build


def title_in(path: Path) -> str:
    text = path.read_text("utf-8")
    if path.suffix == ".json":
        return str(json.loads(text)["title"])
    return text.partition("<title>")[2].partition(" · ")[0]


def test_the_page_and_what_follows_it() -> None:
    assert PAGE == ("brief.html",)
    assert "brief.html" not in REST and {"argmap.json", "argmap.svg", "argmap.dot"} <= set(REST)


def test_a_state_knows_when_a_page_came_back() -> None:
    state = State()
    before = state.connects
    assert not state.reloaded(before, 0)
    state.opened(1)
    assert state.streams == 1 and state.reloaded(before, 0)
    state.opened(-1)
    assert state.streams == 0 and state.connects == before + 1


@pytest.mark.needs_dot
def test_the_other_outputs_wait_for_the_open_page(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(watching, "RELOAD_WAIT", 60.0)  # only the page's return ends the wait
    map_path, out = tmp_path / "claims.yaml", tmp_path / "out"
    map_path.write_text(MAP.format(title="First"), encoding="utf-8")
    state = State()
    rebuilder = Rebuilder(map_path, out, state)
    assert rebuilder.rebuild()  # no page open: nothing to wait for
    assert title_in(out / "brief.html") == title_in(out / "argmap.json") == "First"
    published = state.seq

    state.opened(1)  # a page is open
    map_path.write_text(MAP.format(title="Second"), encoding="utf-8")
    done = threading.Event()

    def rebuild() -> None:
        rebuilder.rebuild()
        done.set()

    threading.Thread(target=rebuild, daemon=True).start()
    for _ in range(POLLS):
        if state.seq != published:
            break
        done.wait(0.001)
    assert state.seq == published + 1 and state.ok  # the page was told to reload ...
    assert title_in(out / "brief.html") == "Second"  # ... once its brief was written
    assert title_in(out / "argmap.json") == "First"  # the rest waits for the page
    assert not done.is_set()
    state.opened(1)  # the page is back
    assert done.wait(60)
    assert title_in(out / "argmap.json") == "Second"
    assert (out / "argmap.svg").is_file() and (out / "argmap.png").is_file()
    state.close()


def test_a_page_patched_in_place_comes_back_too() -> None:
    """A page that takes a build in without a reload says so (`/__argmap/shown`): the other
    outputs wait for that as they wait for a reloaded page's new event stream."""
    state = State()
    before = state.returns
    assert not state.reloaded(before, 0)
    state.shown()
    assert state.reloaded(before, 0) and state.connects == 0
    state.opened(1)
    assert state.returns == before + 2
