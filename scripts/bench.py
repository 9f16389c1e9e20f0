"""Build time and memory at every size: the seed map, then generated debates of 100 to 10,000
points, each built cold (empty output folder and cache) and rebuilt warm after one claim is
edited, through the real `argmap build` in a fresh process.

    .venv/bin/python scripts/bench.py [--sizes 100,1000,3000,10000] [--dot-timeout 60]

Prints one row per build: wall time, CPU time of the Python side (argmap's own process) and of
the Graphviz side (the dot processes it ran, from getrusage(RUSAGE_CHILDREN) inside the build
process), the peak resident memory of each, the exit code and which outputs were written; then
each goal of issue 20, met or missed and by how much. The 10,000-point map is built cold a
second time into another folder, and every file of the two builds compared byte for byte
(`--no-again` leaves that out). The maps come from scripts/gen_map.py
with cross links (`cross=0.1`), so threads tie together as in a real debate. A measurement, not
a test: nothing here fails, and a dot that runs out of time is a row that says so.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Final

import yaml
from gen_map import gen_map

REPO: Final = Path(__file__).resolve().parent.parent
# Runs argmap's CLI in this process, then leaves its own and its children's resource use in
# the file named by $ARGMAP_BENCH_RUSAGE (the bench process cannot tell them apart itself).
CHILD: Final = """
import json, os, resource, sys
from argmap.cli import main
try:
    code = main(sys.argv[1:])
except SystemExit as e:
    code = e.code if isinstance(e.code, int) else 1
me = resource.getrusage(resource.RUSAGE_SELF)
kids = resource.getrusage(resource.RUSAGE_CHILDREN)
with open(os.environ["ARGMAP_BENCH_RUSAGE"], "w") as f:
    json.dump({"py_cpu": me.ru_utime + me.ru_stime, "py_rss": me.ru_maxrss,
               "dot_cpu": kids.ru_utime + kids.ru_stime, "dot_rss": kids.ru_maxrss}, f)
sys.exit(code)
"""
OUTPUTS: Final = ("argmap.json", "argmap.dot", "argmap.svg", "argmap.png", "brief.html")
TALLEST: Final = 4000  # px at 96 dpi: "a few screens" (the brief's limit for an inline picture)


@dataclass
class Run:
    """One build: its times, memory, exit code, outputs; and the tallest picture it wrote."""

    label: str
    wall: float
    py_cpu: float
    dot_cpu: float
    py_mb: float
    dot_mb: float
    exit: int
    written: list[str]
    message: str
    tallest: tuple[str, int] | None = None  # the tallest picture it wrote: name, px at 96 dpi

    @property
    def peak_mb(self) -> float:
        """Python's peak plus the largest dot's: an upper bound when dots ran one at a time,
        and the usual case when two ran together (a big one beside small ones)."""
        return self.py_mb + self.dot_mb


def build(
    map_path: Path,
    out: Path,
    label: str,
    dot_timeout: float,
    extra: list[str],
    command: str = "build",
) -> Run:
    usage = out.parent / f"{out.name}.rusage.json"
    usage.unlink(missing_ok=True)  # a build that dies leaves none: no stale figures
    env = {**os.environ, "ARGMAP_BENCH_RUSAGE": str(usage)}
    cmd = [sys.executable, "-c", CHILD, command, str(map_path)]
    if command == "build":
        cmd += ["-o", str(out), "--dot-timeout", f"{dot_timeout:g}", *extra]
    started = time.perf_counter()
    # In the map's folder: the current folder comes first on sys.path, and must not shadow
    # the argmap that PYTHONPATH names (to measure another version: PYTHONPATH=that/tree).
    proc = subprocess.run(
        cmd, env=env, cwd=map_path.parent, capture_output=True, text=True, check=False
    )
    wall = time.perf_counter() - started
    try:
        used = json.loads(usage.read_text())
    except (OSError, ValueError):
        used = {"py_cpu": 0.0, "py_rss": 0, "dot_cpu": 0.0, "dot_rss": 0}
    lines = [line for line in proc.stderr.splitlines() if line.strip()]
    failures = [ln for ln in lines if ln.startswith("argmap:") and "argmap: note:" not in ln]
    problem = next(iter([ln for ln in lines if "Traceback" in ln] + failures), "")
    return Run(
        label,
        wall,
        used["py_cpu"],
        used["dot_cpu"],
        used["py_rss"] / 1024,
        used["dot_rss"] / 1024,
        proc.returncode,
        [name for name in OUTPUTS if (out / name).exists()],
        problem[:160],
        tallest(out) if command == "build" else None,
    )


_HEIGHT: Final = re.compile(rb'<svg\s+width="[0-9.]+pt"\s+height="([0-9.]+)pt"')


def tallest(out: Path) -> tuple[str, int] | None:
    """The tallest of the whole map's picture and the overview's pages, in px at 96 dpi."""
    found = []
    for path in [out / "argmap.svg", *sorted((out / "overview").glob("page-*.svg"))]:
        try:
            head = path.read_bytes()[:2000]
        except OSError:
            continue
        m = _HEIGHT.search(head)
        if m:
            found.append((round(float(m[1]) * 4 / 3), str(path.relative_to(out))))
    return (max(found)[1], max(found)[0]) if found else None


def rebuttal_web(n: int) -> str:
    """A legal map of one claim and `n` rebuttals answering each other: each answers the one
    before it and one far away (a web of long cycles), the first answers the claim."""
    lines = ["title: A web of rebuttals", "claims:", "  - {id: c, text: The claim.}", "rebuttals:"]
    lines.append("  - {id: r0, text: The first answer to the claim., rebuts: c}")
    for i in range(1, n):
        far = i * 7919 % n
        targets = f"[r{i - 1}, r{far}]" if far != i else f"r{i - 1}"
        lines.append(f"  - {{id: r{i}, text: Rebuttal number {i}., rebuts: {targets}}}")
    return "\n".join(lines) + "\n"


def differing(a: Path, b: Path) -> tuple[int, list[str]]:
    """How many output files two builds wrote, and those whose bytes differ (or one lacks)."""
    names = {
        str(p.relative_to(root))
        for root in (a, b)
        for p in root.rglob("*")
        if p.is_file() and ".cache" not in p.relative_to(root).parts
    }
    return len(names), sorted(
        n
        for n in names
        if not ((a / n).is_file() and (b / n).is_file())
        or (a / n).read_bytes() != (b / n).read_bytes()
    )


def goals(runs: dict[str, Run], same: tuple[int, list[str]] | None = None) -> list[str]:
    """Each goal of issue 20, met or missed, with the CPU and wall time it was judged on;
    `same`: how many files two cold builds of the 10,000-point map wrote, and which differ."""
    lines = []
    check, cold = runs.get("10,000 check"), runs.get("10,000 cold")
    if check is not None and cold is not None:
        limit = 3 * (check.py_cpu + check.dot_cpu)
        lines.append(
            goal(f"10,000 points, cold build <= 3x check ({check.py_cpu:.2f} s)", cold, limit)
        )
    for key in ("10,000 cold", "20,000-rebuttal web cold"):
        if key in runs:
            lines.append(goal(f"{key.removesuffix(' cold')}: build <= 10 s CPU", runs[key], 10.0))
            lines.append(
                verdict(
                    f"{key.removesuffix(' cold')}: build memory", runs[key], "peak_mb", 500.0, "MB"
                )
            )
    big = runs.get("10,000 cold")
    if big is not None and big.tallest is not None:
        name, px = big.tallest
        how = "met" if px <= TALLEST else "MISSED"
        lines.append(
            f"  {'10,000 points: no overview picture taller than a few screens':<58} {how:<7} "
            f"{px:,} px ({name}; goal {TALLEST:,} px)"
        )
    if same is not None:
        total, differ = same
        how = "met" if not differ else "MISSED"
        shown = ", ".join(differ[:4]) + (", ..." if len(differ) > 4 else "")
        lines.append(
            f"  {'10,000 points: two cold builds, the same bytes':<58} {how:<7} "
            f"{len(differ):,} of {total:,} files differ" + (f" ({shown})" if differ else "")
        )
    warm = runs.get("1,000 warm")
    if warm is not None:
        lines.append(
            goal("1,000 points, one claim edited: warm rebuild <= 0.6 s", warm, 0.6, judged="wall")
        )
    return lines


def goal(name: str, run: Run, limit: float, judged: str = "CPU") -> str:
    """Met or missed on `judged` (CPU: Python + dot; or wall), both shown."""
    complete = run.exit == 0 and all(n in run.written for n in OUTPUTS if n != "argmap.png")
    cpu = run.py_cpu + run.dot_cpu
    value = cpu if judged == "CPU" else run.wall
    how = "met" if complete and value <= limit else "MISSED" if complete else "MISSED (incomplete)"
    return (
        f"  {name:<58} {how:<7} {judged} {value:6.2f} s (goal {limit:.2f}); "
        f"CPU {cpu:.2f} s, wall {run.wall:.2f} s"
    )


def edit_one_claim(map_path: Path) -> None:
    """Change the text of the first claim (the YAML is written anew, comments dropped)."""
    data = yaml.safe_load(map_path.read_text(encoding="utf-8"))
    data["claims"][0]["text"] += " Edited."
    map_path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), "utf-8")


def machine() -> str:
    mem = "?"
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                mem = f"{int(line.split()[1]) / 1024 / 1024:.1f} GiB"
    except OSError:
        pass
    dot = subprocess.run(["dot", "-V"], capture_output=True, text=True, check=False)
    load = ", ".join(f"{v:.2f}" for v in os.getloadavg())
    return (
        f"{os.cpu_count()} CPUs ({platform.processor() or platform.machine()}), {mem} memory, "
        f"load average {load}; Python {platform.python_version()}; "
        f"{dot.stderr.strip() or 'dot missing'}"
    )


def row(run: Run) -> str:
    outs = (
        "all"
        if len(run.written) == len(OUTPUTS)
        else "+".join(name.removeprefix("argmap.").removesuffix(".html") for name in run.written)
    )
    return (
        f"{run.label:<26} {run.wall:>7.2f} {run.py_cpu:>7.2f} {run.dot_cpu:>7.2f} "
        f"{run.py_mb:>7.0f} {run.dot_mb:>7.0f} {run.exit:>4}  {outs}"
        + (f"\n{'':<28}{run.message}" if run.message else "")
    )


def verdict(name: str, run: Run, attr: str, limit: float, unit: str) -> str:
    """Met or missed, and by how much. Time is judged twice: by wall time (what a user waits
    for, inflated on a shared machine) and by CPU time (Python + dot, what the work costs)."""
    complete = run.exit == 0 and all(n in run.written for n in OUTPUTS if n != "argmap.png")
    if attr == "peak_mb":
        value = run.peak_mb
        how = "met" if value < limit else f"MISSED by {value - limit:.0f} {unit}"
        return f"  {name:<48} {value:>8.0f} {unit:<3} (target < {limit:g}): {how}"
    cpu = run.py_cpu + run.dot_cpu
    parts = []
    for label, value in (("wall", run.wall), ("CPU", cpu)):
        ok = complete and value < limit
        parts.append(
            f"{label} {value:.2f} s "
            + ("met" if ok else "MISSED" + (f" by {value - limit:.2f} s" if complete else ""))
        )
    return f"  {name:<48} (target < {limit:g} s): " + "; ".join(parts)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="100,1000,3000,10000")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--cross", type=float, default=0.1)
    parser.add_argument("--dot-timeout", type=float, default=60.0)
    parser.add_argument("--no-warm", action="store_true", help="cold builds only")
    parser.add_argument(
        "--no-again", action="store_true", help="no second cold build to compare bytes with"
    )
    parser.add_argument("--extra", default="", help="more arguments for argmap build")
    args = parser.parse_args(argv)
    sizes = [int(s) for s in args.sizes.split(",") if s]
    extra = args.extra.split()
    print(f"machine: {machine()}")
    columns = ("wall s", "py cpu", "dot cpu", "py MB", "dot MB")
    head = f"{'map':<26} " + " ".join(f"{c:>7}" for c in columns) + " exit  written"
    print(head)
    print("-" * len(head))
    runs: dict[str, Run] = {}
    same: tuple[int, list[str]] | None = None
    with tempfile.TemporaryDirectory(prefix="argmap-bench-") as tmp:
        folder = Path(tmp)
        maps: list[tuple[str, Path]] = []
        seed_dir = folder / "seed"
        seed_dir.mkdir()
        shutil.copy(REPO / "claims.yaml", seed_dir / "claims.yaml")
        shutil.copytree(REPO / "sources", seed_dir / "sources")
        maps.append(("seed", seed_dir / "claims.yaml"))
        for size in sizes:
            target = folder / f"n{size}"
            target.mkdir()
            path = target / "claims.yaml"
            path.write_text(gen_map(size, args.seed, cross=args.cross), encoding="utf-8")
            maps.append((f"{size:,}", path))
        web = folder / "web"
        web.mkdir()
        (web / "claims.yaml").write_text(rebuttal_web(20_000), encoding="utf-8")
        maps.append(("20,000-rebuttal web", web / "claims.yaml"))
        for name, path in maps:
            out = path.parent / "out"
            if name in ("10,000", "20,000-rebuttal web"):
                runs[f"{name} check"] = run = build(
                    path, out, f"{name} check", args.dot_timeout, [], command="check"
                )
                print(row(run), flush=True)
            runs[f"{name} cold"] = run = build(path, out, f"{name} cold", args.dot_timeout, extra)
            print(row(run), flush=True)
            if name == "10,000" and not args.no_again:  # outputs the same between runs?
                again = path.parent / "again"
                run = build(path, again, f"{name} cold again", args.dot_timeout, extra)
                print(row(run), flush=True)
                same = differing(out, again)
            if args.no_warm:
                continue
            edit_one_claim(path)
            runs[f"{name} warm"] = run = build(path, out, f"{name} warm", args.dot_timeout, extra)
            print(row(run), flush=True)
    print(f"load average after: {', '.join(f'{v:.2f}' for v in os.getloadavg())}")
    print("goals (issue 20; CPU = Python + dot; memory = Python's peak + the largest dot's):")
    for line in goals(runs, same):
        print(line)
    print("  (complete: exit 0 and every output but the PNG, which a note may say was left out)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
