"""How long `argmap import` of a large Argdown or AIF file takes next to `argmap check` of the
same map in claims.yaml form (issue 9: at most about twice).

    .venv/bin/python scripts/bench_import.py [--points 10000] [--runs 3]

The map comes from scripts/gen_map.py; its Argdown and AIF forms from `argmap export`. Each
command runs as its own process; the table shows its CPU time (user + system, from wait4, so a
busy machine inflates it less than wall time would), its peak memory, and its ratio to the
check. The best of `--runs` runs counts. A measurement, not a test: nothing passes or fails.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))

from gen_map import gen_map  # noqa: E402


def measure(args: list[str], runs: int) -> tuple[float, float]:
    """Best CPU seconds (user + system) and the peak RSS in MiB of `args`, over `runs` runs."""
    best_cpu, peak = float("inf"), 0.0
    for _ in range(runs):
        proc = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        _, status, usage = os.wait4(proc.pid, 0)
        proc.returncode = os.waitstatus_to_exitcode(status)
        if proc.returncode != 0:
            err = proc.stderr.read().decode() if proc.stderr else ""
            raise SystemExit(f"{' '.join(args)} failed ({proc.returncode}): {err[-2000:]}")
        best_cpu = min(best_cpu, usage.ru_utime + usage.ru_stime)
        peak = max(peak, usage.ru_maxrss / 1024)  # KiB on Linux
    return best_cpu, peak


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--points", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args(argv)
    argmap = [sys.executable, "-m", "argmap"]
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        source = folder / "claims.yaml"
        source.write_text(gen_map(args.points), encoding="utf-8")
        for fmt, name in (("argdown", "map.argdown"), ("aif", "map.aif.json")):
            subprocess.run(
                [*argmap, "export", source, "--format", fmt, "-o", folder / name],
                check=True,
                capture_output=True,
            )
        plain = json.loads((folder / "map.aif.json").read_text(encoding="utf-8"))
        del plain["argmap"]
        (folder / "plain.aif.json").write_text(json.dumps(plain), encoding="utf-8")
        rows = [("argmap check claims.yaml", [*argmap, "check", source])]
        for label, name, fmt in (
            ("argmap import map.argdown", "map.argdown", "argdown"),
            ("argmap import map.aif.json", "map.aif.json", "aif"),
            ("argmap import plain.aif.json (no argmap object)", "plain.aif.json", "aif"),
        ):
            out = folder / f"{name}.yaml"
            rows.append(
                (label, [*argmap, "import", folder / name, "-o", out, "--force", "--from", fmt])
            )
        sizes = {p.name: p.stat().st_size for p in folder.iterdir()}
        results = [(label, *measure([str(a) for a in cmd], args.runs)) for label, cmd in rows]
    base = results[0][1]
    print(
        f"import vs check, {args.points:,} points (best of {args.runs}; CPU time of the process;"
        " the machine may be shared)"
    )
    print(
        f"files: claims.yaml {sizes['claims.yaml'] / 2**20:.1f} MiB, "
        f"map.argdown {sizes['map.argdown'] / 2**20:.1f} MiB, "
        f"map.aif.json {sizes['map.aif.json'] / 2**20:.1f} MiB"
    )
    print(f"{'command':<50} {'CPU s':>7} {'x check':>8} {'peak MiB':>9}")
    for label, cpu, rss in results:
        print(f"{label:<50} {cpu:>7.2f} {cpu / base:>8.2f} {rss:>9.0f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
