"""Golden cases: each folder in tests/cases/ holds a map and the DOT and JSON it must give.

The DOT text is compared, not the SVG, which changes between Graphviz versions. After an
intended change of output, regenerate with `ARGMAP_UPDATE_GOLDEN=1 make test` and review the diff.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from argmap.evaluate import evaluate
from argmap.evaluate.pivotal import analyse
from argmap.pipeline import check
from argmap.render import render

CASES = sorted(p for p in (Path(__file__).parent / "cases").iterdir() if p.is_dir())
UPDATE = os.environ.get("ARGMAP_UPDATE_GOLDEN") == "1"


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
@pytest.mark.parametrize("name", ["argmap.dot", "argmap.json"])
def test_golden(case: Path, name: str) -> None:
    valid = check(case / "claims.yaml", "claims.yaml", strict=False)
    got = (
        render(
            valid,
            evaluate(valid.argmap),
            map_name="claims.yaml",
            only=(name,),
            pivotal=analyse(valid.argmap),
        )
        .files[name]
        .decode()
    )
    expected = case / name
    if UPDATE:
        expected.write_text(got, encoding="utf-8")
    assert expected.exists(), f"{expected} is missing: run ARGMAP_UPDATE_GOLDEN=1 make test"
    assert got == expected.read_text(encoding="utf-8"), (
        f"{case.name}/{name} changed; if intended, regenerate with ARGMAP_UPDATE_GOLDEN=1"
    )


def test_every_case_has_both_goldens() -> None:
    assert CASES, "no golden cases found"
    for case in CASES:
        assert (case / "argmap.dot").exists() and (case / "argmap.json").exists(), case.name


# A claim's own picture (out/claims/ID.dot is not written; the DOT is compared here).
CLAIM_CASES = [c for c in CASES if (c / "claims").is_dir()]


@pytest.mark.parametrize("case", CLAIM_CASES, ids=[c.name for c in CLAIM_CASES])
def test_golden_claim_pictures(case: Path) -> None:
    from argmap.evaluate import evaluate
    from argmap.render.diagram import claim_dot

    valid = check(case / "claims.yaml", "claims.yaml", strict=False)
    ev = evaluate(valid.argmap)
    for claim in valid.argmap.claims:
        got = claim_dot(valid.argmap, ev, claim.id)
        expected = case / "claims" / f"{claim.id}.dot"
        if UPDATE:
            expected.write_text(got, encoding="utf-8")
        assert expected.exists(), f"{expected} is missing: run ARGMAP_UPDATE_GOLDEN=1 make test"
        assert got == expected.read_text(encoding="utf-8"), (
            f"{case.name}/claims/{claim.id}.dot changed; if intended, regenerate with "
            "ARGMAP_UPDATE_GOLDEN=1"
        )


def test_claim_goldens_cover_the_seed_and_the_cycles() -> None:
    assert {c.name for c in CLAIM_CASES} >= {"seed", "cycles"}
