"""A save made right after watch's first build line, before its watcher is in place, is built
(it made no file event, and was never rebuilt)."""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path

import pytest

from argmap.starter import new_map
from argmap.watch import Rebuild, watch

pytest.importorskip("watchfiles")
DEADLINE = 60.0  # only stops a hang: a build takes a few seconds here


class SavesAfterTheFirstBuild:
    """Saves the map as soon as the first build is reported, as a quick user would."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.builds: list[Rebuild] = []
        self.second = threading.Event()

    def rebuilt(self, rebuild: Rebuild) -> None:
        self.builds.append(rebuild)
        if len(self.builds) == 1:
            text = self.path.read_text(encoding="utf-8")
            self.path.write_text(text.replace("town library", "village library", 1), "utf-8")
        else:
            self.second.set()

    def waiting(self, folder: Path) -> Callable[[], None]:
        return lambda: None

    def serving(self, url: str) -> None:
        pass


def test_a_save_right_after_the_first_build_is_built(tmp_path: Path) -> None:
    path, _ = new_map(tmp_path / "m")
    listener = SavesAfterTheFirstBuild(path)
    stop = threading.Event()
    ready = threading.Event()
    thread = threading.Thread(
        target=watch,
        args=(path, None),
        kwargs={
            "port": None,
            "templates": None,
            "stop": stop,
            "listener": listener,
            "once_ready": lambda _url: ready.set(),
        },
    )
    thread.start()
    try:
        assert listener.second.wait(DEADLINE), "the save was never built"
    finally:
        stop.set()
        thread.join(DEADLINE)
    assert ready.is_set()
    brief = (path.parent / "out" / "brief.html").read_text(encoding="utf-8")
    assert "village library" in brief
    assert len(listener.builds) == 2
