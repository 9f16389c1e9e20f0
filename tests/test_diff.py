"""`argmap.diff` and its formats on pairs of maps built for the purpose, with exact outputs."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import textwrap
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from argmap.diff import MapDiff, Side, Spec, compare, read_side
from argmap.errors import InvalidMap, UsageError
from argmap.evaluate import evaluate
from argmap.model import ArgMap
from argmap.render.diff import reason, to_json, to_markdown, to_text
from argmap.render.diff_words import why
from argmap.validate import Validated

BASE = """\
title: The spat
claims:
  - id: replaces-all
    text: VMware replaces every other player.
rebuttals:
  - id: growing-ecosystem
    rebuts: replaces-all
    text: VMware has a growing ecosystem of partners.
evidence:
  - id: symantec-partner
    supports: growing-ecosystem
    text: Symantec is a partner.
"""


def diff(tmp_path: Path, old: str, new: str) -> MapDiff:
    (tmp_path / "old.yaml").write_text(textwrap.dedent(old), encoding="utf-8")
    (tmp_path / "new.yaml").write_text(textwrap.dedent(new), encoding="utf-8")
    return compare(read_side(Spec(tmp_path / "old.yaml")), read_side(Spec(tmp_path / "new.yaml")))


def as_text(d: MapDiff, tmp_path: Path) -> str:
    return to_text(d).replace(str(tmp_path) + "/", "")


def test_the_same_map_is_no_change(tmp_path: Path) -> None:
    d = diff(tmp_path, BASE, BASE)
    assert d.empty
    assert not d.standing_changed
    assert as_text(d, tmp_path) == (
        "argmap diff old.yaml → new.yaml\n"
        "no change: the same points, in the same words, with the same relations.\n"
    )


def test_a_reworded_text_only(tmp_path: Path) -> None:
    new = BASE.replace(
        "VMware replaces every other player.", "VMware's road show replaces all the others."
    )
    d = diff(tmp_path, BASE, new)
    assert not d.standing_changed
    assert as_text(d, tmp_path) == textwrap.dedent("""\
        argmap diff old.yaml → new.yaml
        no standing changed, 1 point reworded.

        Points reworded
          ~ replaces-all (claim)
              was: VMware replaces every other player.
              now: VMware's road show replaces all the others.

        Standings now: 2 stand, 1 defeated, 0 undecided (before: 2 stand, 1 defeated, 0 undecided).
        """)


COUNTER = (
    BASE
    + """\
  - id: stalled-evidence
    supports: ecosystem-stalled
    text: Partners left in 2007.
"""
).replace(
    "    text: VMware has a growing ecosystem of partners.\n",
    "    text: VMware has a growing ecosystem of partners.\n"
    "  - id: ecosystem-stalled\n"
    "    rebuts: growing-ecosystem\n"
    "    text: The ecosystem stalled.\n",
)


def test_a_new_counter_rebuttal_reinstates_the_claim(tmp_path: Path) -> None:
    d = diff(tmp_path, BASE, COUNTER)
    assert d.standing_changed
    assert [reason(c) for c in d.standings] == [
        "'replaces-all' was defeated, now stands: its only standing rebuttal "
        "'growing-ecosystem' is now defeated by 'ecosystem-stalled'",
        "'growing-ecosystem' stood, now defeated: new rebuttal 'ecosystem-stalled' stands",
    ]
    assert as_text(d, tmp_path) == textwrap.dedent("""\
        argmap diff old.yaml → new.yaml
        2 standings changed, 2 points added, 2 relations added.

        Standings changed
          replaces-all (claim): defeated → stands
            'replaces-all' was defeated, now stands: its only standing rebuttal 'growing-ecosystem' is now defeated by 'ecosystem-stalled'
          growing-ecosystem (rebuttal): stands → defeated
            'growing-ecosystem' stood, now defeated: new rebuttal 'ecosystem-stalled' stands

        Points added
          + ecosystem-stalled (rebuttal, stands): The ecosystem stalled.
          + stalled-evidence (evidence, stands): Partners left in 2007.

        Relations added
          + ecosystem-stalled rebuts growing-ecosystem
          + stalled-evidence supports ecosystem-stalled

        Standings now: 4 stand, 1 defeated, 0 undecided (before: 2 stand, 1 defeated, 0 undecided).
        """)
    assert to_markdown(d).replace(str(tmp_path) + "/", "") == textwrap.dedent("""\
        ### argmap: 2 standings changed, 2 points added, 2 relations added

        `old.yaml` → `new.yaml`

        | point | was | now | why |
        | --- | --- | --- | --- |
        | `replaces-all` (claim) | ✘ defeated | ✔ stands | its only standing rebuttal `growing-ecosystem` is now defeated by `ecosystem-stalled` |
        | `growing-ecosystem` (rebuttal) | ✔ stands | ✘ defeated | new rebuttal `ecosystem-stalled` stands |

        **Points added** (2)

        - `ecosystem-stalled` (rebuttal, ✔ stands): The ecosystem stalled.
        - `stalled-evidence` (evidence, ✔ stands): Partners left in 2007.

        **Relations added** (2)

        - `ecosystem-stalled` rebuts `growing-ecosystem`
        - `stalled-evidence` supports `ecosystem-stalled`

        Standings now: 4 stand, 1 defeated, 0 undecided (before: 2 stand, 1 defeated, 0 undecided).
        """)
    data = json.loads(to_json(d))
    assert data["format"] == "argmap-diff/1"
    assert data["standing_changed"] is True
    assert data["standings"][0] == {
        "id": "replaces-all",
        "kind": "claim",
        "before": "defeated",
        "after": "stands",
        "reason": reason(d.standings[0]),
        "lost": [
            {
                "id": "growing-ecosystem",
                "was": "stands",
                "now": "defeated",
                "link": "kept",
                "defeated_by": ["ecosystem-stalled"],
                "because": [],
                "gained": [  # (its own causes: the chain goes on to the root)
                    {
                        "id": "ecosystem-stalled",
                        "was": None,
                        "now": "stands",
                        "link": "added",
                        "defeated_by": [],
                        "because": [],
                    }
                ],
            }
        ],
        "gained": [],
    }
    assert data["relations"]["added"][0] == {
        "from": "ecosystem-stalled",
        "relation": "rebuts",
        "to": "growing-ecosystem",
    }
    assert data["new"]["counts"] == {"stands": 4, "defeated": 1, "undecided": 0}


def test_the_counter_rebuttal_removed_again(tmp_path: Path) -> None:
    d = diff(tmp_path, COUNTER, BASE)
    assert [reason(c) for c in d.standings] == [
        "'replaces-all' stood, now defeated: its rebuttal 'growing-ecosystem' now stands "
        "because its standing rebuttal 'ecosystem-stalled' was removed",
        "'growing-ecosystem' was defeated, now stands: its only standing rebuttal "
        "'ecosystem-stalled' was removed",
    ]
    assert [p.id for p in d.removed] == ["ecosystem-stalled", "stalled-evidence"]


TWO = BASE.replace(
    "rebuttals:\n",
    "rebuttals:\n  - id: open-standards\n    rebuts: replaces-all\n    text: Open standards.\n",
)


def test_a_removed_rebuttal_that_changes_nothing(tmp_path: Path) -> None:
    d = diff(tmp_path, TWO, BASE)
    assert not d.standing_changed
    assert as_text(d, tmp_path) == textwrap.dedent("""\
        argmap diff old.yaml → new.yaml
        no standing changed, 1 point removed, 1 relation removed.

        Points removed
          - open-standards (rebuttal, stands): Open standards.

        Relations removed
          - open-standards rebuts replaces-all

        Standings now: 2 stand, 1 defeated, 0 undecided (before: 3 stand, 1 defeated, 0 undecided).
        """)


def test_removing_every_standing_rebuttal_names_each(tmp_path: Path) -> None:
    none = TWO.replace("    rebuts: replaces-all\n", "    rebuts: symantec-partner\n", 1)
    none = none.replace(
        "  - id: growing-ecosystem\n    rebuts: replaces-all\n",
        "  - id: growing-ecosystem\n    rebuts: open-standards\n",
    )
    d = diff(tmp_path, TWO, none)
    assert reason(d.standings[0]) == (
        "'replaces-all' was defeated, now stands: its standing rebuttal 'open-standards' "
        "no longer rebuts it; its standing rebuttal 'growing-ecosystem' no longer rebuts it"
    )


def test_renamed_ids_are_removed_and_added(tmp_path: Path) -> None:
    renamed = BASE.replace("growing-ecosystem", "partner-ecosystem")
    d = diff(tmp_path, BASE, renamed)
    assert not d.standing_changed
    assert as_text(d, tmp_path) == textwrap.dedent("""\
        argmap diff old.yaml → new.yaml
        no standing changed, 1 point added, 1 point removed, 2 relations added, 2 relations removed.

        Points added
          + partner-ecosystem (rebuttal, stands): VMware has a growing ecosystem of partners.

        Points removed
          - growing-ecosystem (rebuttal, stands): VMware has a growing ecosystem of partners.

        Relations added
          + partner-ecosystem rebuts replaces-all
          + symantec-partner supports partner-ecosystem

        Relations removed
          - growing-ecosystem rebuts replaces-all
          - symantec-partner supports growing-ecosystem

        Standings now: 2 stand, 1 defeated, 0 undecided (before: 2 stand, 1 defeated, 0 undecided).
        """)


def test_a_cycle_leaves_the_claim_undecided(tmp_path: Path) -> None:
    loop = BASE.replace(
        "rebuttals:\n",
        "rebuttals:\n"
        "  - id: tit\n    rebuts: [tat, growing-ecosystem]\n    text: Tit.\n"
        "  - id: tat\n    rebuts: tit\n    text: Tat.\n",
    )
    d = diff(tmp_path, BASE, loop)
    assert [reason(c) for c in d.standings] == [
        "'replaces-all' was defeated, now undecided: its only standing rebuttal "
        "'growing-ecosystem' is now undecided because new rebuttal 'tit' is undecided",
        "'growing-ecosystem' stood, now undecided: new rebuttal 'tit' is undecided",
    ]


def test_a_point_moved_to_another_section(tmp_path: Path) -> None:
    moved = BASE.replace(
        "claims:\n  - id: replaces-all\n    text: VMware replaces every other player.\n",
        "claims:\n  - id: other\n    text: Other.\n",
    ).replace(
        "rebuttals:\n",
        "rebuttals:\n  - id: replaces-all\n    rebuts: other\n    text: VMware replaces every other player.\n",
    )
    d = diff(tmp_path, BASE, moved)
    assert [(m.id, m.before, m.after) for m in d.moved] == [("replaces-all", "claim", "rebuttal")]


def test_markdown_escapes_what_a_pull_request_could_hide(tmp_path: Path) -> None:
    hostile = BASE.replace(
        "VMware replaces every other player.",
        '"<img src=x onerror=alert(1)> [click](javascript:alert(1)) | `x` **b**"',
    )
    out = to_markdown(diff(tmp_path, BASE, hostile))
    assert "<img" not in out
    assert "](javascript" not in out
    assert "&lt;img src=x onerror=alert\\(1\\)&gt;" in out
    assert "\\[click\\]\\(javascript:alert\\(1\\)\\)" in out
    assert "\\| \\`x\\` \\*\\*b\\*\\*" in out


def test_an_invalid_side_names_itself(tmp_path: Path) -> None:
    (tmp_path / "bad.yaml").write_text(BASE.replace("rebuts: replaces-all", "rebuts: replace-all"))
    with pytest.raises(InvalidMap) as e:
        read_side(Spec(tmp_path / "bad.yaml"))
    assert all(d.file == str(tmp_path / "bad.yaml") for d in e.value.diagnostics)


# --- sides read from git -----------------------------------------------------------------------


def git(repo: Path, *args: str) -> str:
    done = subprocess.run(
        ["git", "-c", "user.name=T", "-c", "user.email=t@example.org", *args],
        cwd=repo,
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, "GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1"},
    )
    return done.stdout


def commit(repo: Path, text: str, message: str) -> None:
    (repo / "maps").mkdir(exist_ok=True)
    (repo / "maps" / "claims.yaml").write_text(text, encoding="utf-8")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", message)


@pytest.fixture
def history(tmp_path: Path) -> Path:
    """A repository whose maps/claims.yaml went: valid, invalid, valid with a counter-rebuttal;
    the working copy then rewords the claim without committing."""
    git(tmp_path, "init", "-q", "-b", "main")
    commit(tmp_path, BASE, "first")
    commit(tmp_path, BASE.replace("rebuts: replaces-all", "rebuts: replace-all"), "typo")
    commit(tmp_path, COUNTER, "counter")
    (tmp_path / "maps" / "claims.yaml").write_text(
        COUNTER.replace("every other player", "all the others"), encoding="utf-8"
    )
    return tmp_path


needs_git = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")


@needs_git
def test_a_revision_is_read_without_a_checkout(history: Path) -> None:
    path = history / "maps" / "claims.yaml"
    d = compare(read_side(Spec(path, "HEAD~2")), read_side(Spec(path, "main")))
    assert d.old.label == f"HEAD~2:{path}"
    assert [c.id for c in d.standings] == ["replaces-all", "growing-ecosystem"]
    assert not d.reworded
    now = compare(read_side(Spec(path, "HEAD")), read_side(Spec(path)))
    assert [r.id for r in now.reworded] == ["replaces-all"]
    assert git(history, "status", "--porcelain") == " M maps/claims.yaml\n"  # nothing touched


@needs_git
def test_an_invalid_revision_is_reported_at_its_lines(history: Path) -> None:
    path = history / "maps" / "claims.yaml"
    with pytest.raises(InvalidMap) as e:
        read_side(Spec(path, "HEAD~1"))
    found = e.value.diagnostics
    assert {d.file for d in found} == {f"HEAD~1:{path}"}
    assert [(d.line, d.col) for d in found if d.severity == "error"] == [(7, 13)]


@needs_git
@pytest.mark.parametrize(
    ("rev", "name", "said"),
    [
        ("nope", "maps/claims.yaml", "'nope' is not a revision of the repository of"),
        ("--output=x", "maps/claims.yaml", "'--output=x' is not a git revision"),
        ("HEAD", "maps/other.yaml", "does not exist at revision HEAD"),
        ("HEAD", "maps", "is not a file at revision HEAD"),
    ],
)
def test_a_revision_that_cannot_be_read_is_a_usage_error(
    history: Path, rev: str, name: str, said: str
) -> None:
    with pytest.raises(UsageError, match=re.escape(said)):
        read_side(Spec(history / name, rev))


@needs_git
def test_outside_a_repository_says_so(tmp_path: Path) -> None:
    (tmp_path / "claims.yaml").write_text(BASE, encoding="utf-8")
    env = os.environ.get("GIT_CEILING_DIRECTORIES")
    os.environ["GIT_CEILING_DIRECTORIES"] = str(tmp_path.parent)
    try:
        with pytest.raises(UsageError, match="is not inside a git repository"):
            read_side(Spec(tmp_path / "claims.yaml", "HEAD"))
    finally:
        if env is None:
            del os.environ["GIT_CEILING_DIRECTORIES"]
        else:
            os.environ["GIT_CEILING_DIRECTORIES"] = env


def test_a_standing_rebuttal_swapped_for_an_undecided_one(tmp_path: Path) -> None:
    loop = BASE.replace(
        "  - id: growing-ecosystem\n    rebuts: replaces-all\n",
        "  - id: tit\n    rebuts: [tat, replaces-all]\n    text: Tit.\n"
        "  - id: tat\n    rebuts: tit\n    text: Tat.\n"
        "  - id: growing-ecosystem\n    rebuts: symantec-partner\n",
    )
    d = diff(tmp_path, BASE, loop)
    assert reason(d.standings[0]) == (
        "'replaces-all' was defeated, now undecided: its only standing rebuttal "
        "'growing-ecosystem' no longer rebuts it; new rebuttal 'tit' is undecided"
    )


# --- any two maps -------------------------------------------------------------------------------

IDS = [f"p{i}" for i in range(7)]


@st.composite
def versions(draw: st.DrawFn) -> dict[str, Any]:
    """A small map over a shared pool of ids: the first are claims, the rest rebuttals."""
    ids = draw(st.lists(st.sampled_from(IDS), min_size=1, max_size=7, unique=True))
    ids.sort(key=IDS.index)
    claims = ids[: max(1, len(ids) // 3)]
    rebuttals = [
        {
            "id": r,
            "text": draw(st.sampled_from(["A.", "B."])),
            "rebuts": draw(
                st.lists(
                    st.sampled_from([i for i in ids if i != r] or claims),
                    min_size=1,
                    max_size=3,
                    unique=True,
                )
            ),
        }
        for r in ids[len(claims) :]
    ]
    rebuttals = [x for x in rebuttals if x["rebuts"] != [x["id"]]]
    return {
        "title": "T",
        "claims": [{"id": c, "text": "C."} for c in claims],
        "rebuttals": rebuttals,
    }


def side(data: dict[str, Any], label: str) -> Side:
    m = ArgMap.model_validate(data)
    return Side(Spec(Path(label)), Validated(m, [], Path()), evaluate(m))


@settings(max_examples=300, deadline=None)
@given(versions(), versions())
def test_every_changed_standing_is_found_and_has_a_cause(
    old: dict[str, Any], new: dict[str, Any]
) -> None:
    a, b = side(old, "old.yaml"), side(new, "new.yaml")
    d = compare(a, b)
    both = [i for i in b.ev.verdicts if i in a.ev.verdicts]
    assert [c.id for c in d.standings] == [i for i in both if a.ev[i].standing != b.ev[i].standing]
    for change in d.standings:
        assert change.lost or change.gained, reason(change)
        said = reason(change)
        assert said.startswith(f"'{change.id}' ") and ": " in said
    assert d.standing_changed == bool(d.standings)
    assert json.loads(to_json(d))["standing_changed"] == d.standing_changed


# --- causes under the map's semantics: weighing, undercuts, positions ---------------------------

WEIGHED = """\
title: Weighed
judgement: {attacks: weighed}
sources: [{id: s, title: S}]
claims:
  - id: c
    text: The street should close.
rebuttals:
  - id: r
    rebuts: c
    source: s
    text: Trade will fall.
"""
HEAVY = WEIGHED.replace(
    "    text: The street should close.\n", "    text: The street should close.\n    weight: 3\n"
)


def test_an_attack_that_becomes_outweighed_is_the_cause(tmp_path: Path) -> None:
    d = diff(tmp_path, WEIGHED, HEAVY)
    assert [reason(c) for c in d.standings] == [
        "'c' was defeated, now stands: its only standing rebuttal 'r' is now outweighed "
        "(strength 1: a source, against 3: the weight its analyst gave)"
    ]
    lost = json.loads(to_json(d))["standings"][0]["lost"][0]
    assert lost["effect"] == {"was": "counts", "now": "outweighed"}
    assert lost["strengths"] == {"rebuttal": 1, "target": 3}


def test_an_attack_no_longer_outweighed_is_the_cause(tmp_path: Path) -> None:
    d = diff(tmp_path, HEAVY, WEIGHED)
    assert as_text(d, tmp_path) == textwrap.dedent("""\
        argmap diff old.yaml → new.yaml
        1 standing changed.

        Standings changed
          c (claim): stands → defeated
            'c' stood, now defeated: its rebuttal 'r' is no longer outweighed (strength 1: a source, against 0: no source, quote or evidence)

        Standings now: 1 stand, 1 defeated, 0 undecided (before: 2 stand, 0 defeated, 0 undecided).
        """)


UNCUT = """\
title: Undercut
claims:
  - id: c
    text: The street should close.
rebuttals:
  - id: r
    rebuts: c
    text: Trade will fall.
"""
CUT = (
    UNCUT
    + """\
  - id: u
    undercuts: [{from: r, to: c}]
    text: That says nothing about the trial.
"""
)
CUT_ANSWERED = (
    CUT
    + """\
  - id: d
    rebuts: u
    text: It does.
"""
)


def test_an_undercut_that_starts_to_stand_is_the_cause(tmp_path: Path) -> None:
    d = diff(tmp_path, UNCUT, CUT)
    assert as_text(d, tmp_path) == textwrap.dedent("""\
        argmap diff old.yaml → new.yaml
        1 standing changed, 1 point added, 1 relation added.

        Standings changed
          c (claim): defeated → stands
            'c' was defeated, now stands: its only standing rebuttal 'r' is now undercut by 'u'

        Points added
          + u (rebuttal, stands): That says nothing about the trial.

        Relations added
          + u undercuts the link r → c

        Standings now: 3 stand, 0 defeated, 0 undecided (before: 1 stand, 1 defeated, 0 undecided).
        """)
    data = json.loads(to_json(d))
    assert data["relations"]["added"] == [
        {"from": "u", "relation": "undercuts", "to": "c", "link": {"from": "r", "to": "c"}}
    ]
    assert data["standings"][0]["lost"][0]["undercut_by"][0]["id"] == "u"


def test_an_undercut_that_stops_standing_is_the_cause(tmp_path: Path) -> None:
    d = diff(tmp_path, CUT, CUT_ANSWERED)
    assert [reason(c) for c in d.standings] == [
        "'c' stood, now defeated: its rebuttal 'r' is no longer undercut "
        "('u' is now defeated by 'd')",
        "'u' stood, now defeated: new rebuttal 'd' stands",
    ]
    removed = diff(tmp_path, CUT, UNCUT)
    assert [reason(c) for c in removed.standings] == [
        "'c' stood, now defeated: its rebuttal 'r' is no longer undercut ('u' was removed)"
    ]
    assert "  - u undercuts the link r → c\n" in as_text(removed, tmp_path)
    assert "`u` undercuts the link `r` → `c`" in to_markdown(removed)


KNOT = """\
title: Knot
claims:
  - id: c
    text: C.
rebuttals:
  - id: a
    rebuts: [b, c]
    text: A.
  - id: b
    rebuts: [a]
    text: B.
"""


def test_a_point_that_moves_between_positions_is_reported(tmp_path: Path) -> None:
    """'c' stays undecided, but where it stood in one of the two positions ('b' stands, 'a'
    falls), now both 'a' and 'b' rebut it: it stands in neither."""
    d = diff(tmp_path, KNOT, KNOT.replace("    rebuts: [a]\n", "    rebuts: [a, c]\n"))
    assert not d.standing_changed
    assert as_text(d, tmp_path) == textwrap.dedent("""\
        argmap diff old.yaml → new.yaml
        no standing changed, 1 relation added, 1 point moved between positions.

        Positions changed
          ~ c (claim): undecided in both; now stands in none of the positions the map allows (before: in some)

        Relations added
          + b rebuts c

        Standings now: 0 stand, 0 defeated, 3 undecided (before: 0 stand, 0 defeated, 3 undecided).
        """)
    assert json.loads(to_json(d))["positions"] == [
        {"id": "c", "kind": "claim", "before": "some", "after": "none"}
    ]
    back = diff(tmp_path, KNOT.replace("    rebuts: [a]\n", "    rebuts: [a, c]\n"), KNOT)
    assert "(claim): undecided in both; now stands in some of the positions the map allows " in (
        as_text(back, tmp_path)
    )


def test_a_change_into_a_knot_says_where_the_point_stands_among_positions(tmp_path: Path) -> None:
    """'c' was defeated by 'a' alone; once 'b' answers 'a' (and rebuts 'c' too), 'c' is
    undecided, and in no position does it stand."""
    old = "title: Knot\nclaims:\n  - {id: c, text: C.}\nrebuttals:\n  - {id: a, rebuts: c, text: A.}\n"
    new = KNOT.replace("    rebuts: [a]\n", "    rebuts: [a, c]\n")
    d = diff(tmp_path, old, new)
    assert [reason(c) for c in d.standings] == [
        "'c' was defeated, now undecided: its only standing rebuttal 'a' is now undecided "
        "because new rebuttal 'b' is undecided; 'b' rebuts it too; it now stands in none of "
        "the positions the map allows",
        "'a' stood, now undecided: new rebuttal 'b' is undecided",
    ]


def test_a_change_of_judgement_is_said(tmp_path: Path) -> None:
    d = diff(tmp_path, UNCUT, "judgement: {attacks: weighed}\n" + UNCUT)
    assert not d.empty
    assert to_text(d).splitlines()[1] == (
        "the judgement changed (attacks: all → weighed), no standing changed."
    )
    assert json.loads(to_json(d))["judgement"] == {"before": "all", "after": "weighed"}


# --- causes down the chain ----------------------------------------------------------------------

CHAINED = """\
title: Chained
claims:
  - {id: c, text: The street should close.}
rebuttals:
  - {id: r, rebuts: c, text: Trade will fall.}
  - {id: s, rebuts: r, text: Trade rose where streets closed.}
evidence:
  - {id: e, supports: c, rebuts: s, text: Those streets were not like ours., kind: fact}
"""


def test_a_cause_is_named_down_the_chain_to_its_root(tmp_path: Path) -> None:
    """Evidence removed -> the rebuttal it answered now stands -> the rebuttal that one answers
    now falls -> the claim now stands: the claim's cause names the chain, to the removal."""
    without = CHAINED[: CHAINED.index("evidence:")]
    d = diff(tmp_path, CHAINED, without)
    assert [reason(c) for c in d.standings] == [
        "'c' was defeated, now stands: its only standing rebuttal 'r' is now defeated by 's', "
        "which now stands because its standing rebuttal 'e' was removed",
        "'r' stood, now defeated: its rebuttal 's' now stands because its standing rebuttal "
        "'e' was removed",
        "'s' was defeated, now stands: its only standing rebuttal 'e' was removed",
    ]
    lost = json.loads(to_json(d))["standings"][0]["lost"][0]
    assert (lost["id"], [g["id"] for g in lost["gained"]]) == ("r", ["s"])
    assert [(b["id"], b["now"]) for b in lost["gained"][0]["because"]] == [("e", None)]
    # and back: the evidence added again is the root of the claim's fall
    again = diff(tmp_path, without, CHAINED)
    assert reason(again.standings[0]) == (
        "'c' stood, now defeated: its rebuttal 'r' now stands because its standing rebuttal "
        "'s' is now defeated by 'e'"
    )


def _ladder(rungs: int) -> dict[str, Any]:
    """c <- r1 <- r2 <- ... <- r{rungs}: each rebuttal answers the one before."""
    return {
        "title": "Ladder",
        "claims": [{"id": "c", "text": "C."}],
        "rebuttals": [
            {"id": f"r{i}", "rebuts": "c" if i == 1 else f"r{i - 1}", "text": f"R{i}."}
            for i in range(1, rungs + 1)
        ],
    }


def test_a_long_chain_of_causes_is_cut_after_a_few_links() -> None:
    """Removing the last rung of a ladder of 12 rebuttals changes every standing; each cause
    names at most five points down its chain (`CHAIN`), then says "and …"; a short chain is
    named to its root."""
    from argmap.evaluate.causes import CHAIN

    d = compare(side(_ladder(12), "old.yaml"), side(_ladder(11), "new.yaml"))
    assert [c.id for c in d.standings] == ["c", *(f"r{i}" for i in range(1, 12))]
    for change in d.standings:
        said = why(change)  # (the causes, without the point's own name)
        named = re.findall(r"'(r\d+)'", said)
        assert len(named) <= CHAIN + 2, said
        rung = 0 if change.id == "c" else int(change.id[1:])
        assert named == [f"r{i}" for i in range(rung + 1, rung + 1 + len(named))], said
        if 12 - rung <= CHAIN + 1:  # the root, r12, is within reach: named, no "and …"
            assert said.endswith("'r12' was removed"), said
        else:  # cut after four or five links (a defeater's own cause is one more)
            assert said.endswith(", and …") and len(named) >= CHAIN + 1, said


@settings(max_examples=200, deadline=None)
@given(versions(), versions())
def test_every_chain_goes_to_a_root_or_says_it_goes_on(
    old: dict[str, Any], new: dict[str, Any]
) -> None:
    """Down every change's causes, a cause whose own standing changed has causes of its own,
    says the chain goes on (`more`), or is already on the chain above it (a cycle)."""
    from argmap.evaluate.causes import BUDGET

    d = compare(side(old, "old.yaml"), side(new, "new.yaml"))
    for change in d.standings:
        seen = 0
        todo = [(c, frozenset({change.id})) for c in (*change.lost, *change.gained)]
        while todo:
            c, path = todo.pop()
            seen += 1
            if c.changed and not c.more and c.point not in path:
                assert c.because or c.gains, (change.id, c)
            todo += [(b, path | {c.point}) for b in (*c.because, *c.gains)]
        assert seen <= BUDGET + 1
