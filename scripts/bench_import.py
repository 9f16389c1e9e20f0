"""How long `argmap import` of a large Argdown, AIF, xAIF or Kialo file takes next to
`argmap check` of the map it writes (issues 9 and 19: at most twice).

    .venv/bin/python scripts/bench_import.py [--points 10000] [--runs 3]

The map comes from scripts/gen_map.py; its Argdown, AIF and xAIF forms from `argmap export`
(and AIF and xAIF again without argmap's own object, as another tool would keep them); the
Kialo export (the current layout: CRLF, labels on their own lines) is written here with the
same number of points. Each command runs as its own process; the table shows its CPU time
(user + system, from wait4, so a busy machine inflates it less than wall time would), its peak
memory, and its ratio to `argmap check` of the map the import wrote: "met" at most 2x. The
best of `--runs` runs counts.

A second table times imports at the map cap (issue 18): Kialo exports larger than a map may be
(the import stops at the cap), and a map just under the cap exported to Argdown and AIF. Each
must take at most `CAP_GOAL` seconds of CPU; the map it wrote must pass `argmap check` (the
import's own self-check promises so; the bench checks it too).
`--cap-only` prints only that table.
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

GOAL = 2.0  # an import may take at most this many times the check of the map it writes
CAP_GOAL = 5.0  # CPU seconds an import may take at the map cap (issue 18)


def kialo_short(size: int) -> str:
    """An older-layout Kialo export of about `size` bytes of very short points, all children
    of the thesis: the map written is more than twice the export (tests/test_hostile_commands)."""
    lines, total, n = ["Discussion Title: Trams?", "", "1. Build it."], 0, 0
    while total < size:
        n += 1
        lines.append(f"1.{n}. {'Pro' if n % 2 else 'Con'}: Point {n}.")
        total += len(lines[-1]) + 1
    return "\n".join(lines) + "\n"


def at_the_cap(runs: int) -> list[tuple[str, float, float, int]]:
    """(label, CPU s, peak MiB, bytes written) of importing exports past the map cap."""
    argmap = [sys.executable, "-m", "argmap"]
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        (folder / "short.kialo.txt").write_bytes(kialo_short(2_300_000).encode("utf-8"))
        (folder / "tree.kialo.txt").write_bytes(kialo(60_000).encode("utf-8"))
        # A map just under the cap (21,000 points, 3.8 MiB), exported to Argdown and AIF.
        (folder / "cap.yaml").write_text(gen_map(21_000), encoding="utf-8")
        for fmt, name in (("argdown", "cap.argdown"), ("aif", "cap.aif.json")):
            subprocess.run(
                [*argmap, "export", folder / "cap.yaml", "--format", fmt, "-o", folder / name],
                check=True,
                capture_output=True,
            )
        for label, name, fmt in (
            ("Kialo 2.2 MiB, 86,000 short points", "short.kialo.txt", "kialo"),
            ("Kialo 3.5 MiB, 60,000 points in a tree", "tree.kialo.txt", "kialo"),
            ("Argdown of a 21,000-point map (3.4 MiB)", "cap.argdown", "argdown"),
            ("AIF of a 21,000-point map (19 MiB)", "cap.aif.json", "aif"),
        ):
            out = folder / name.replace(".", "-") / "claims.yaml"
            out.parent.mkdir()
            cmd = [*argmap, "import", folder / name, "-o", out, "--force", "--from", fmt]
            cpu, rss = measure([str(a) for a in cmd], runs)
            measure([str(a) for a in [*argmap, "check", out]], 1)  # exit 0, or the bench fails
            rows.append((label, cpu, rss, out.stat().st_size))
    return rows


def print_cap(runs: int) -> None:
    print(f"import at the map cap (best of {runs}; CPU time of the process)")
    print(f"{'argmap import ...':<40} {'CPU s':>7} {'peak MiB':>9} {'written':>9}  goal")
    for label, cpu, rss, size in at_the_cap(runs):
        met = "met" if cpu <= CAP_GOAL else "MISSED"
        row = f"{label:<40} {cpu:>7.2f} {rss:>9.0f} {size / 2**20:>7.2f}Mi"
        print(f"{row}  {met} (<= {CAP_GOAL:g} s; passes check)")


def kialo(points: int) -> str:
    """A Kialo export in its current layout with `points` points besides the thesis: each
    point has up to three children, Pros and Cons in turn, a link every 50 points."""
    lines = ["Discussion Name:", f"A discussion of {points:,} points", "", "1. Thesis:"]
    lines += ["The thesis that everything else argues about.", ""]
    numbers = ["1."]
    for n in range(points):
        parent = numbers[n // 3]
        number = f"{parent}{n % 3 + 1}."
        numbers.append(number)
        stance = "Pro" if n % 2 else "Con"
        if n % 50 == 49 and n > 100:
            body = f"-> See {numbers[n - 100]}"
        else:
            body = f"Point {n} says that \\(in this case\\) the parent is {stance.lower()}."
        lines += [f"{number} {stance}:", body, ""]
    return "\r\n".join(lines) + "\r\n"


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
    parser.add_argument("--cap-only", action="store_true", help="only the map-cap table")
    args = parser.parse_args(argv)
    if args.cap_only:
        print_cap(args.runs)
        return 0
    argmap = [sys.executable, "-m", "argmap"]
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        source = folder / "claims.yaml"
        source.write_text(gen_map(args.points), encoding="utf-8")
        for fmt, name in (
            ("argdown", "map.argdown"),
            ("aif", "map.aif.json"),
            ("xaif", "map.xaif.json"),
        ):
            subprocess.run(
                [*argmap, "export", source, "--format", fmt, "-o", folder / name],
                check=True,
                capture_output=True,
            )
        plain = json.loads((folder / "map.aif.json").read_text(encoding="utf-8"))
        del plain["argmap"]
        (folder / "plain.aif.json").write_text(json.dumps(plain), encoding="utf-8")
        plain = json.loads((folder / "map.xaif.json").read_text(encoding="utf-8"))
        del plain["argmap"]
        (folder / "plain.xaif.json").write_text(json.dumps(plain), encoding="utf-8")
        (folder / "map.kialo.txt").write_bytes(kialo(args.points).encode("utf-8"))
        base = measure([str(a) for a in [*argmap, "check", source]], args.runs)
        rows = []
        for label, name, fmt in (
            ("map.argdown", "map.argdown", "argdown"),
            ("map.aif.json", "map.aif.json", "aif"),
            ("plain.aif.json (no argmap object)", "plain.aif.json", "aif"),
            ("map.xaif.json", "map.xaif.json", "xaif"),
            ("plain.xaif.json (no argmap object)", "plain.xaif.json", "xaif"),
            ("map.kialo.txt (current layout)", "map.kialo.txt", "kialo"),
        ):
            out = folder / name.replace(".", "-") / "claims.yaml"
            out.parent.mkdir()
            cmd = [*argmap, "import", folder / name, "-o", out, "--force", "--from", fmt]
            cpu, rss = measure([str(a) for a in cmd], args.runs)
            check_cpu, _ = measure([str(a) for a in [*argmap, "check", out]], args.runs)
            rows.append((label, cpu, check_cpu, rss))
        sizes = {p.name: p.stat().st_size for p in folder.iterdir() if p.is_file()}
    print(
        f"import vs check of the map it writes, {args.points:,} points (best of {args.runs}; "
        "CPU time of the process; the machine may be shared)"
    )
    print(
        "files: "
        + ", ".join(f"{n} {sizes[n] / 2**20:.1f} MiB" for n in sorted(sizes) if n != "claims.yaml")
    )
    print(f"argmap check claims.yaml (the generated map): {base[0]:.2f} s CPU")
    head = f"{'argmap import ...':<40} {'CPU s':>7} {'check s':>8} {'x check':>8} {'peak MiB':>9}"
    print(f"{head}  goal")
    for label, cpu, check_cpu, rss in rows:
        ratio = cpu / check_cpu
        met = "met" if ratio <= GOAL else "MISSED"
        row = f"{label:<40} {cpu:>7.2f} {check_cpu:>8.2f} {ratio:>8.2f} {rss:>9.0f}"
        print(f"{row}  {met} (<= {GOAL:g}x)")
    print()
    print_cap(args.runs)
    return 0


if __name__ == "__main__":
    sys.exit(main())
