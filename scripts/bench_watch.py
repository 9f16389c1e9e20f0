"""How long `argmap watch` takes from a save of the seed map to a new out/brief.html.

    .venv/bin/python scripts/bench_watch.py [--saves N] [--edit claim|title]

Works on a copy of claims.yaml and sources/ in a temporary folder. Each save puts a new marker
into one claim's text (the usual edit: only that claim's pictures change, the others come
from the layout cache) or, with `--edit title`, into the title (every picture changes); the
time runs from the write until brief.html holds that marker. The same
build run directly (check, render, write, no watcher) is timed too, to show what the watcher
itself adds. A measurement, not a test: nothing here passes or fails.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import tempfile
import threading
import time
from pathlib import Path

from argmap.evaluate import evaluate
from argmap.evaluate.pivotal import analyse
from argmap.pipeline import check
from argmap.render import render
from argmap.watch import watch
from argmap.write import write_all

ROOT = Path(__file__).resolve().parent.parent
TITLE = "title: The virtualization spat"
CLAIM = "every other player in the industry."  # in the text of claim replaces-all


def summary(name: str, seconds: list[float]) -> str:
    ms = sorted(s * 1000 for s in seconds)
    p90 = ms[min(len(ms) - 1, round(0.9 * (len(ms) - 1)))]
    return (
        f"{name}: median {statistics.median(ms):.0f} ms, p90 {p90:.0f} ms, "
        f"min {ms[0]:.0f} ms, max {ms[-1]:.0f} ms ({len(ms)} runs)"
    )


def direct_builds(map_path: Path, out: Path, runs: int) -> list[float]:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        valid = check(map_path)
        write_all(
            out,
            render(
                valid,
                evaluate(valid.argmap),
                map_name=map_path.name,
                pivotal=analyse(valid.argmap),
            ).files,
        )
        times.append(time.perf_counter() - started)
    return times


def edited(text: str, edit: str, marker: str) -> str:
    if edit == "title":
        return text.replace(TITLE, f"title: {marker}")
    return text.replace(CLAIM, f"every other player in the industry ({marker}).")


def saves(map_path: Path, out: Path, runs: int, edit: str) -> list[float]:
    text = map_path.read_text(encoding="utf-8")
    ready, stop = threading.Event(), threading.Event()
    thread = threading.Thread(
        target=watch,
        args=(map_path, out),
        kwargs={"port": None, "templates": None, "once_ready": lambda _: ready.set(), "stop": stop},
        daemon=True,
    )
    thread.start()
    if not ready.wait(60):
        raise SystemExit("argmap watch did not start")
    brief = out / "brief.html"
    times = []
    try:
        for n in range(runs):
            marker = f"Bench marker {n}"
            started = time.perf_counter()
            map_path.write_text(edited(text, edit, marker), encoding="utf-8")
            while marker.encode() not in brief.read_bytes():
                if time.perf_counter() - started > 30:
                    raise SystemExit(f"save {n} was not rebuilt within 30 s")
                time.sleep(0.002)
            times.append(time.perf_counter() - started)
            time.sleep(0.3)  # let the watcher settle, as between two saves by hand
    finally:
        stop.set()
        thread.join(30)
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--saves", type=int, default=20, help="how many saves (default 20)")
    parser.add_argument("--edit", choices=("claim", "title"), default="claim")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="argmap-bench-") as tmp:
        folder = Path(tmp)
        shutil.copy(ROOT / "claims.yaml", folder / "claims.yaml")
        shutil.copytree(ROOT / "sources", folder / "sources")
        map_path, out = folder / "claims.yaml", folder / "out"
        build = direct_builds(map_path, out, args.saves)
        latency = saves(map_path, out, args.saves, args.edit)  # silent: no listener is given
    print(summary("build alone (check, render, write)", build))
    print(summary(f"save ({args.edit} edited) -> new out/brief.html under argmap watch", latency))


if __name__ == "__main__":
    main()
