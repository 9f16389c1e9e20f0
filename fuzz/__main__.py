"""`python -m fuzz [TARGET...]`: run each fuzz target for a bounded time, one after another.

    FUZZ_SECONDS=N     seconds per target (default 20); `make fuzz` passes it on
    FUZZ_RUNS=N        stop a target after N inputs instead (0: no such bound)
    FUZZ_CPU_PER_INPUT CPU seconds one input may take before it is a runaway (default 3)

libFuzzer's own `-timeout` is wall-clock: a machine that is paused or starved for minutes
stops a run on an innocent input. A `timeout-*` input that replays within the CPU bound is
renamed `paused-*` and the run resumes where it was (with the time and runs left).

Each target starts from its seeds (the test corpus, see `fuzz.targets.SEEDS`) and from what
earlier runs kept in `fuzz/work/TARGET/corpus/` (not committed). A finding is written to
`fuzz/work/TARGET/` as `crash-*`, `timeout-*` or `oom-*`; then make it a test: copy it into
`tests/fuzz-found/TARGET/` (`tests/test_fuzz_targets.py` replays every file there).

The table at the end gives, per target, the inputs run, the seconds, and what was found;
exit 1 when any target found something.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import shutil
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Final

from fuzz.targets import SEEDS, TARGETS, cache_entry

REPO: Final = Path(__file__).resolve().parent.parent
WORK: Final = Path(os.environ.get("FUZZ_WORK", REPO / "fuzz" / "work"))
FOUND: Final = REPO / "tests" / "fuzz-found"
DICTS: Final = REPO / "fuzz" / "dicts"  # tokens of each format, for libFuzzer's mutations


def _seeds(name: str, into: Path) -> int:
    if into.exists():
        shutil.rmtree(into)
    into.mkdir(parents=True)
    n = 0
    for pattern in SEEDS[name]:
        for path in sorted(REPO.glob(pattern)):
            if path.is_file() and not path.is_symlink():
                shutil.copyfile(path, into / f"{n:04d}-{path.name}")
                n += 1
    for path in sorted((FOUND / name).glob("*")) if (FOUND / name).is_dir() else []:
        shutil.copyfile(path, into / f"found-{path.name}")
        n += 1
    if name == "cache":
        n += _cache_seeds(into)
    return n


def _cache_seeds(into: Path) -> int:
    """Entries as argmap writes them (a picture from dot where it is installed, a PNG header,
    a note), made by its own writer, so the seeds follow the cache's format wherever it goes."""
    svg = b'<svg width="10pt" height="10pt" xmlns="http://www.w3.org/2000/svg"><g/></svg>'
    dot = shutil.which("dot")
    if dot:
        with contextlib.suppress(OSError, subprocess.SubprocessError):
            svg = (
                subprocess.run(  # noqa: S603
                    [dot, "-Tsvg"], input=b"digraph{a->b}", capture_output=True, timeout=20
                ).stdout
                or svg
            )
    made = [
        cache_entry({"svg": svg}, ()),
        cache_entry({"svg": svg, "png": b"\x89PNG\r\n\x1a\n"}, ("a note",)),
    ]
    for n, data in enumerate(made):
        (into / f"made-{n}.layout").write_bytes(data)
    return len(made)


def run(name: str, seconds: int, runs: int) -> dict[str, object]:
    home = WORK / name
    corpus, seeds = home / "corpus", home / "seeds"
    corpus.mkdir(parents=True, exist_ok=True)
    seeded = _seeds(name, seeds)
    known_log = home / "known.log"
    with contextlib.suppress(FileNotFoundError):
        known_log.unlink()
    before = {p.name for p in home.glob("*-*") if p.is_file()}
    env = {
        **os.environ,
        "FUZZ_KNOWN_LOG": str(known_log),
        "FUZZ_KEEP_GOING": str(home),
        "PYTHONPATH": str(REPO),
    }
    started = time.monotonic()
    execs, sessions, paused, code = 0, 0, [], 0
    # libFuzzer's output goes to the log as it runs (`tail -f fuzz/work/TARGET/last.log` shows
    # a long run's progress; a run that is stopped keeps its log).
    with (home / "last.log").open("w", encoding="utf-8") as out:
        while sessions < _MAX_SESSIONS:
            left = seconds - int(time.monotonic() - started)
            if left <= 0 or (runs and execs >= runs):
                break
            sessions += 1
            had = {p.name for p in home.glob("timeout-*")}
            out.write(f"fuzz: session {sessions}, {left} s left\n")
            out.flush()
            done = subprocess.run(  # noqa: S603
                _args(name, home, corpus, seeds, left, runs - execs if runs else 0),
                stdout=out,
                stderr=subprocess.STDOUT,
                env=env,
                check=False,
            )
            code = done.returncode
            log = (home / "last.log").read_text(encoding="utf-8", errors="replace")
            session_log = log.rsplit(f"fuzz: session {sessions},", 1)[-1]
            counted = re.findall(r"stat::number_of_executed_units:\s*(\d+)", session_log)
            if not counted:
                counted = re.findall(r"Done (\d+) runs", session_log) or re.findall(
                    r"#(\d+)\s", session_log
                )
            execs += int(counted[-1]) if counted else 0
            new = sorted(p for p in home.glob("timeout-*") if p.name not in had)
            # libFuzzer's timeout is wall-clock: a machine paused (a virtual machine snapshot)
            # or starved for minutes stops a run on an input that is no runaway. One that
            # replays within the CPU bound is renamed `paused-*`, and the run goes on.
            if code == 0 or not new or not all(_replays_in_bound(name, p) for p in new):
                break
            code = 0
            for p in new:
                p.rename(p.with_name("paused-" + p.name.removeprefix("timeout-")))
                paused.append(p.name)
                out.write(f"fuzz: {p.name} replays within the CPU bound: a pause, not a finding\n")
    found = sorted(
        p.name
        for p in home.glob("*-*")
        if p.is_file()
        and p.name not in before
        and p.name.split("-")[0] in _KINDS
        and p.suffix != ".txt"
    )
    known: Counter[str] = Counter()
    if known_log.exists():
        for line in known_log.read_text(encoding="utf-8").splitlines():
            known[" ".join(json.loads(line))] += 1
    return {
        "target": name,
        "seeds": seeded,
        "execs": execs,
        "seconds": round(time.monotonic() - started),
        "exit": code,
        "paused": paused,
        "found": found,
        "known": dict(known),
    }


_KINDS: Final = ("crash", "timeout", "oom", "leak", "slow")
_MAX_SESSIONS: Final = 20  # a run resumed after this many pauses is stopped


def _args(name: str, home: Path, corpus: Path, seeds: Path, seconds: int, runs: int) -> list[str]:
    return [
        sys.executable,
        "-m",
        "fuzz.harness",
        name,
        str(corpus),
        str(seeds),
        f"-artifact_prefix={home}/",
        f"-max_total_time={seconds}",
        "-max_len=32768",
        "-timeout=60",  # wall-clock, only for what the CPU bound cannot interrupt
        "-rss_limit_mb=3072",
        "-print_final_stats=1",
        *([f"-runs={runs}"] if runs else []),
        *([f"-dict={DICTS / (name + '.dict')}"] if (DICTS / f"{name}.dict").exists() else []),
    ]


def _replays_in_bound(name: str, case: Path) -> bool:
    """Whether `case` runs through target `name`, with the harness's CPU bound, without a
    finding, in a process of its own given two minutes of wall-clock time."""
    code = (
        "import sys; from fuzz.harness import bounded; from fuzz.targets import TARGETS; "
        f"bounded(TARGETS[{name!r}], {name!r})(open(sys.argv[1], 'rb').read())"
    )
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    env.pop("FUZZ_KEEP_GOING", None)
    try:
        done = subprocess.run(  # noqa: S603
            [sys.executable, "-c", code, str(case)], env=env, capture_output=True, timeout=120
        )
    except subprocess.TimeoutExpired:
        return False
    return done.returncode == 0


def main(argv: list[str]) -> int:
    names = argv or list(TARGETS)
    unknown = [n for n in names if n not in TARGETS]
    if unknown:
        print(f"fuzz: no target {', '.join(unknown)}; targets: {', '.join(TARGETS)}")
        return 2
    seconds = int(os.environ.get("FUZZ_SECONDS", "20"))
    runs = int(os.environ.get("FUZZ_RUNS", "0"))
    results = []
    for name in names:
        print(f"fuzz: {name} for {seconds} s ...", flush=True)
        results.append(run(name, seconds, runs))
    print(f"\n{'target':<14}{'seeds':>6}{'inputs run':>12}{'seconds':>9}  found")
    bad = False
    for r in results:
        found = ", ".join(r["found"]) if r["found"] else "nothing"  # type: ignore[arg-type]
        if r["found"] or r["exit"] not in (0,):
            bad = True
            if not r["found"]:
                found = f"libFuzzer exit {r['exit']}; see fuzz/work/{r['target']}/last.log"
        print(f"{r['target']:<14}{r['seeds']:>6}{r['execs']:>12,}{r['seconds']:>9}  {found}")
        if r["paused"]:
            print(f"{'':<14}resumed after {len(r['paused'])} pause(s) of the machine (paused-*)")  # type: ignore[arg-type]
        for what, count in dict(r["known"]).items():  # type: ignore[call-overload]
            print(f"{'':<14}known, owned elsewhere: {what} ({count} inputs)")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
