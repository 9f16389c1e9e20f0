"""The fuzz targets (`fuzz/targets.py`) without a fuzzer: each accepts its seeds, and every input
a fuzzer found (`tests/fuzz-found/TARGET/`) is replayed, so a finding stays fixed.

A finding in code another engineer owns is listed in `OWNED` with what is wrong; its test is
xfail(strict=True), so the fix makes it pass and says to drop it from here and from
`fuzz/known.txt`.
"""

from __future__ import annotations

import signal
import time
from pathlib import Path

import pytest

from fuzz.harness import Runaway, bounded, known
from fuzz.targets import SEEDS, TARGETS, Finding

REPO = Path(__file__).resolve().parent.parent
FOUND = Path(__file__).resolve().parent / "fuzz-found"

# target/file -> what is wrong (owned by interchange/ or render/layout.py: not fixed here)
OWNED: dict[str, str] = {}


def _seeds(target: str) -> list[Path]:
    return [p for pattern in SEEDS[target] for p in sorted(REPO.glob(pattern)) if p.is_file()]


def _found() -> list[str]:
    return sorted(f"{p.parent.name}/{p.name}" for p in FOUND.glob("*/*") if p.is_file())


@pytest.mark.parametrize("target", sorted(TARGETS))
def test_every_target_takes_its_seeds(target: str) -> None:
    """The good seeds (the hostile corpus's cases are checked by `tests/test_hostile*.py`)."""
    seeds = [p for p in _seeds(target) if "hostile" not in p.parts]
    if target != "cache":  # the cache's seeds are made by its writer (fuzz.__main__)
        assert seeds, f"no seed for {target}"
    for seed in seeds:
        TARGETS[target](seed.read_bytes())


def test_the_cache_target_reads_an_entry_argmap_wrote(tmp_path: Path) -> None:
    """The target sees a real hit (not only misses): an entry from argmap's own writer."""
    from fuzz.__main__ import _cache_seeds
    from fuzz.targets import cache_store

    assert _cache_seeds(tmp_path) == 2
    for entry in sorted(tmp_path.glob("*.layout")):
        data = entry.read_bytes()
        TARGETS["cache"](data)
        folder = tmp_path / "c"
        folder.mkdir(exist_ok=True)
        (folder / ("0" * 64 + ".layout")).write_bytes(data)
        assert cache_store(folder).get("0" * 64, ("svg", "png")) is not None


@pytest.mark.parametrize(
    "case",
    [
        pytest.param(c, marks=pytest.mark.xfail(strict=True, reason=OWNED[c])) if c in OWNED else c
        for c in _found()
    ],
)
def test_a_found_input_is_answered_as_promised(case: str) -> None:
    target, _, _name = case.partition("/")
    TARGETS[target]((FOUND / case).read_bytes())


def test_every_owned_finding_has_its_file_and_every_known_line_a_target() -> None:
    assert set(OWNED) <= set(_found())
    assert {t for t, _, _ in known()} <= set(TARGETS)


def test_an_input_that_runs_away_is_stopped_by_its_cpu_time(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The bound counts CPU seconds (ITIMER_VIRTUAL), so a busy loop is stopped and a sleep is
    not (a loaded machine cannot make a finding up)."""
    monkeypatch.setattr("fuzz.harness.CPU_PER_INPUT", 0.2)

    def spin(_data: bytes) -> None:
        while True:
            pass

    def rest(_data: bytes) -> None:
        time.sleep(0.3)

    before = signal.getsignal(signal.SIGVTALRM)
    try:
        with pytest.raises(Runaway):
            bounded(spin, "x")(b"")
        bounded(rest, "x")(b"")  # 0.3 s asleep, no CPU: no finding
    finally:
        signal.signal(signal.SIGVTALRM, before)
    assert signal.getitimer(signal.ITIMER_VIRTUAL) == (0.0, 0.0)


def test_a_finding_is_raised_and_a_known_one_let_through(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    def bad(_data: bytes) -> None:
        raise Finding("a message spans lines: x")

    def other(_data: bytes) -> None:
        raise ValueError("boom")

    before = signal.getsignal(signal.SIGVTALRM)
    log = tmp_path / "known.log"
    try:
        monkeypatch.setattr("fuzz.harness.known", lambda: (("t", "Finding", "spans lines"),))
        bounded(bad, "t", log)(b"")
        assert log.read_text(encoding="utf-8").count("\n") == 1
        with pytest.raises(Finding):
            bounded(bad, "u", log)(b"")
        with pytest.raises(ValueError, match="boom"):
            bounded(other, "t", log)(b"")
    finally:
        signal.signal(signal.SIGVTALRM, before)


def test_a_wall_clock_timeout_is_a_finding_only_if_it_replays_past_the_cpu_bound(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """libFuzzer's `-timeout` counts wall-clock time: a virtual machine paused for minutes
    stopped two runs (cache, claims) on inputs that take 15 and 160 ms of CPU. `python -m fuzz`
    replays such an input with the CPU bound; a pause is renamed and the run resumes; an input
    that runs away (or raises) stays a finding."""
    from fuzz.__main__ import _replays_in_bound

    fine = tmp_path / "timeout-fine"
    fine.write_bytes(b"Discussion Title: T\n\n1. A thesis.\n1.1. Pro: Yes.\n")
    assert _replays_in_bound("kialo", fine)
    assert not _replays_in_bound("no-such-target", fine)  # raises there: not a pause
    # With a bound of a millisecond of CPU, a whole map is a runaway: a finding, kept.
    monkeypatch.setenv("FUZZ_CPU_PER_INPUT", "0.001")
    big = tmp_path / "timeout-big"
    big.write_bytes(max(_seeds("claims"), key=lambda p: p.stat().st_size).read_bytes() * 4)
    assert not _replays_in_bound("claims", big)
    monkeypatch.setenv("FUZZ_CPU_PER_INPUT", "30")
    assert _replays_in_bound("claims", big)
