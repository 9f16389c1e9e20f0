"""Which of dot's layout options make large maps faster, measured: CPU time and drawing size.

    .venv/bin/python scripts/bench_layout_options.py [--sizes 1000,3000] [--timeout 120]
        [--options "-Gnslimit=1;-Gmclimit=0.5"] [--pictures DIR]

For each generated map (scripts/gen_map.py, cross links 0.1) and each set of options, runs
`dot -Tsvg` on argmap's DOT of the map once and prints the CPU time dot used (user + sys, from
getrusage of the children), its peak memory, and the drawing's size in points. With
`--pictures DIR`, also draws the seed map with each option set into DIR as PNG, to compare.
A measurement, not a test.
"""

from __future__ import annotations

import argparse
import os
import re
import resource
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Final

from gen_map import gen_map

from argmap.cli import main as argmap_main

REPO: Final = Path(__file__).resolve().parent.parent
DEFAULT_OPTIONS: Final = [
    "",
    "-Gnslimit=1",
    "-Gnslimit=1 -Gnslimit1=1",
    "-Gmclimit=0.5",
    "-Gsearchsize=10",
    "-Gremincross=false",
    "-Gsplines=polyline",
    "-Gsplines=line",
    "-Gnslimit=1 -Gmclimit=0.5",
    "-Gnslimit=1 -Gsplines=polyline",
]
_SIZE: Final = re.compile(r'<svg width="([0-9.]+)pt" height="([0-9.]+)pt"')


def dot_source(map_path: Path, folder: Path) -> str:
    target = folder / f"{map_path.stem}.dot"
    code = argmap_main(["export", str(map_path), "--format", "dot", "-o", str(target)])
    if code:
        raise SystemExit(f"argmap export failed ({code})")
    return target.read_text()


def run(dot: str, options: str, fmt: str, timeout: float) -> tuple[float, float, str, bytes]:
    """CPU seconds and peak MB of this one dot (wait4), the size or what went wrong, the output."""
    with tempfile.TemporaryDirectory() as tmp:
        src, dst = Path(tmp) / "in.dot", Path(tmp) / f"out.{fmt}"
        src.write_text(dot)
        cmd = ["dot", *options.split(), f"-T{fmt}", f"-o{dst}", str(src)]
        # Bounded in CPU seconds (RLIMIT_CPU), not wall time: on a shared machine a wall-clock
        # limit would stop dot after a fraction of the work.
        limit = int(timeout) + 1
        proc = subprocess.Popen(
            cmd,
            stderr=subprocess.DEVNULL,
            preexec_fn=lambda: resource.setrlimit(resource.RLIMIT_CPU, (limit, limit)),
        )
        timer = threading.Timer(timeout * 20, proc.kill)
        timer.start()
        _, status, usage = os.wait4(proc.pid, 0)
        timer.cancel()
        proc.returncode = os.waitstatus_to_exitcode(status)
        out = dst.read_bytes() if dst.exists() else b""
    cpu = usage.ru_utime + usage.ru_stime
    what = (
        "" if proc.returncode == 0 else f"over {timeout:g} s" if proc.returncode < 0 else "failed"
    )
    found = _SIZE.search(out[:2000].decode("utf-8", "replace")) if fmt == "svg" else None
    if found and not what:
        what = f"{float(found.group(1)):.0f}×{float(found.group(2)):.0f} pt"
    return cpu, usage.ru_maxrss / 1024, what, out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,3000")
    parser.add_argument("--timeout", type=float, default=120.0, help="CPU seconds per dot run")
    parser.add_argument("--cross", type=float, default=0.1, help="share of cross links")
    parser.add_argument("--options", help="option sets separated by ';' ('' is dot's defaults)")
    parser.add_argument("--pictures", type=Path, help="draw the seed map per option set here")
    args = parser.parse_args(argv)
    option_sets = args.options.split(";") if args.options is not None else DEFAULT_OPTIONS
    with tempfile.TemporaryDirectory(prefix="argmap-options-") as tmp:
        folder = Path(tmp)
        if args.pictures:
            args.pictures.mkdir(parents=True, exist_ok=True)
            seed = dot_source(REPO / "claims.yaml", folder)
            for i, options in enumerate(option_sets):
                cpu, _, what, png = run(seed, options, "png", args.timeout)
                slug = re.sub(r"[^a-z0-9]+", "-", options.lower()).strip("-") or "default"
                name = f"seed-{i}-{slug}.png"
                (args.pictures / name).write_bytes(png)
                print(f"seed {options or '(defaults)':<34} {cpu:6.2f} s CPU  -> {name}")
        for size in (int(s) for s in args.sizes.split(",") if s):
            path = folder / f"m{size}.yaml"
            path.write_text(gen_map(size, 0, cross=args.cross), encoding="utf-8")
            dot = dot_source(path, folder)
            for options in option_sets:
                started = time.perf_counter()
                cpu, mb, what, _ = run(dot, options, "svg", args.timeout)
                wall = time.perf_counter() - started
                print(
                    f"{size:>6,} points  {options or '(defaults)':<34} {cpu:7.2f} s CPU "
                    f"{wall:7.2f} s wall {mb:6.0f} MB  {what}",
                    flush=True,
                )
    return 0


if __name__ == "__main__":
    sys.exit(main())
