"""`argmap diff`, `argmap build --since` and `argmap check --explain` through the real entry
point, on the seed map's history in a temporary git repository built here: the seed map, then
an invalid edit, then a counter-rebuttal that reinstates a claim (and the working copy as
committed)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import textwrap
from pathlib import Path

import pytest

from tests.conftest import run_argmap

REPO = Path(__file__).resolve().parent.parent


def argmap(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    """`argmap ARGS` in `cwd` (in this process: `tests.conftest.run_argmap`)."""
    return run_argmap(*args, cwd=cwd)


SEED = (REPO / "claims.yaml").read_text(encoding="utf-8")
STALLED = SEED.replace(
    "rebuttals:\n",
    "rebuttals:\n"
    "  - id: ecosystem-stalled\n"
    "    rebuts: growing-ecosystem\n"
    "    by: crosby\n"
    "    text: The ecosystem has stalled since VI3.\n",
    1,
)
TYPO = SEED.replace(
    "rebuts: [partners-put-off, replaces-all]", "rebuts: [partners-put-of, replaces-all]"
)

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")


def git(repo: Path, *args: str) -> None:
    subprocess.run(
        ["git", "-c", "user.name=T", "-c", "user.email=t@example.org", *args],
        cwd=repo,
        capture_output=True,
        check=True,
        env={**os.environ, "GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1"},
    )


@pytest.fixture(scope="module")
def repo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("history")
    debate = root / "debate"
    shutil.copytree(REPO / "sources", debate / "sources")
    git(root, "init", "-q", "-b", "main")
    for text, message in ((SEED, "seed"), (TYPO, "typo"), (STALLED, "stalled")):
        (debate / "claims.yaml").write_text(text, encoding="utf-8")
        git(root, "add", "-A")
        git(root, "commit", "-q", "-m", message)
    return root


EXPECTED = """\
argmap diff HEAD~2:claims.yaml → claims.yaml
2 standings changed, 1 point added, 1 relation added.

Standings changed
  partners-put-off (claim): defeated → stands
    'partners-put-off' was defeated, now stands: its only standing rebuttal 'growing-ecosystem' is now defeated by 'ecosystem-stalled'
  growing-ecosystem (rebuttal): stands → defeated
    'growing-ecosystem' stood, now defeated: new rebuttal 'ecosystem-stalled' stands

Points added
  + ecosystem-stalled (rebuttal, stands): The ecosystem has stalled since VI3.

Relations added
  + ecosystem-stalled rebuts growing-ecosystem

Standings now: 22 stand, 5 defeated, 0 undecided (before: 21 stand, 5 defeated, 0 undecided).
"""


def test_diff_a_revision_against_the_file(repo: Path) -> None:
    done = argmap("diff", "HEAD~2", cwd=repo / "debate")
    assert (done.returncode, done.stderr) == (1, "")
    assert done.stdout == EXPECTED


def test_diff_two_revisions_of_a_path(repo: Path) -> None:
    done = argmap("diff", "HEAD~2", "main", "--", "debate/claims.yaml", cwd=repo)
    assert done.returncode == 1
    assert done.stdout == EXPECTED.replace(
        "HEAD~2:claims.yaml → claims.yaml", "HEAD~2:debate/claims.yaml → main:debate/claims.yaml"
    )


def test_diff_as_markdown_and_json(repo: Path) -> None:
    md = argmap("diff", "HEAD~2", "--format", "markdown", "--", "debate/claims.yaml", cwd=repo)
    assert md.returncode == 1
    assert md.stdout.splitlines()[:8] == [
        "### argmap: 2 standings changed, 1 point added, 1 relation added",
        "",
        "`HEAD~2:debate/claims.yaml` → `debate/claims.yaml`",
        "",
        "| point | was | now | why |",
        "| --- | --- | --- | --- |",
        "| `partners-put-off` (claim) | ✘ defeated | ✔ stands | its only standing rebuttal "
        "`growing-ecosystem` is now defeated by `ecosystem-stalled` |",
        "| `growing-ecosystem` (rebuttal) | ✔ stands | ✘ defeated | new rebuttal "
        "`ecosystem-stalled` stands |",
    ]
    js = argmap("diff", "HEAD~2", "--format", "json", cwd=repo / "debate")
    assert js.returncode == 1
    data = json.loads(js.stdout)
    assert data["standing_changed"] is True
    assert [(c["id"], c["before"], c["after"]) for c in data["standings"]] == [
        ("partners-put-off", "defeated", "stands"),
        ("growing-ecosystem", "stands", "defeated"),
    ]
    assert [p["id"] for p in data["added"]] == ["ecosystem-stalled"]


def test_nothing_changed_exits_0(repo: Path) -> None:
    done = argmap("diff", cwd=repo / "debate")  # HEAD against the file, which is the same
    assert (done.returncode, done.stderr) == (0, "")
    assert done.stdout == (
        "argmap diff HEAD:claims.yaml → claims.yaml\n"
        "no change: the same points, in the same words, with the same relations.\n"
    )


def test_an_invalid_side_is_reported_like_check(repo: Path) -> None:
    done = argmap("diff", "HEAD~1", cwd=repo / "debate")
    assert done.returncode == 1
    assert done.stdout == ""
    lines = done.stderr.splitlines()
    assert lines[0].startswith(
        "HEAD~1:claims.yaml:94:14: error: 'rebuts: partners-put-of' of rebuttal "
        "'growing-ecosystem' names no"
    )
    assert lines[0].endswith("did you mean 'partners-put-off'?")
    assert lines[-1] == "HEAD~1:claims.yaml: 1 error: invalid (the old side)"


@pytest.mark.parametrize(
    ("args", "said"),
    [
        (["a", "b", "c"], "argmap: argmap diff takes at most two sides"),
        (["no-such-rev"], "argmap: 'no-such-rev' is not a revision of the repository of"),
        (["HEAD", "--", "a.yaml", "b.yaml"], "argmap: argmap diff compares one map"),
        (["HEAD", "--", "nowhere/claims.yaml"], "argmap: nowhere/claims.yaml: its folder"),
        (["--format", "yaml"], "invalid choice: 'yaml'"),
        (["old.yaml", "claims.yaml"], "argmap: old.yaml: no such file"),
    ],
)
def test_usage_errors_exit_2(repo: Path, args: list[str], said: str) -> None:
    done = argmap("diff", *args, cwd=repo / "debate")
    assert done.returncode == 2
    assert said in done.stderr
    assert done.stdout == ""


def test_two_files(tmp_path: Path) -> None:
    (tmp_path / "old.yaml").write_text("title: T\nclaims:\n  - {id: a, text: A.}\n")
    (tmp_path / "new.yaml").write_text(
        "title: T\nclaims:\n  - {id: a, text: A.}\nrebuttals:\n  - {id: r, rebuts: a, text: R.}\n"
    )
    done = argmap("diff", "old.yaml", "new.yaml", cwd=tmp_path)
    assert done.returncode == 1
    assert done.stdout.splitlines()[3:5] == [
        "Standings changed",
        "  a (claim): stands → defeated",
    ]
    assert done.stdout.splitlines()[5] == "    'a' stood, now defeated: new rebuttal 'r' stands"


def test_build_since_marks_the_changes(repo: Path, tmp_path: Path) -> None:
    done = argmap("build", "debate/claims.yaml", "--since", "HEAD~2", "-o", str(tmp_path), cwd=repo)
    assert done.returncode in (0, 3), done.stderr  # 3: no Graphviz here; the brief is written
    html = (tmp_path / "brief.html").read_text(encoding="utf-8")
    assert '<h2 id="h_changed_since">Changed since HEAD~2</h2>' in html
    assert "2 standings changed, 1 point added, 1 relation added." in html
    assert html.count('<span class="change-mark">Changed since HEAD~2</span>') == 2
    assert html.count('<span class="change-mark">New since HEAD~2</span>') == 1
    plain = argmap("build", "debate/claims.yaml", "-o", str(tmp_path / "plain"), cwd=repo)
    assert plain.returncode in (0, 3)
    assert "Changed since" not in (tmp_path / "plain" / "brief.html").read_text(encoding="utf-8")


def test_build_since_an_invalid_revision_still_builds(repo: Path, tmp_path: Path) -> None:
    done = argmap("build", "debate/claims.yaml", "--since", "HEAD~1", "-o", str(tmp_path), cwd=repo)
    assert done.returncode in (0, 3)
    assert (
        "argmap: --since HEAD~1: the map at that revision (HEAD~1:debate/claims.yaml) has 1 "
        "error, so the brief does not mark changes (argmap diff HEAD~1 lists them)"
    ) in done.stderr
    assert "Changed since" not in (tmp_path / "brief.html").read_text(encoding="utf-8")


def test_explain_one_point() -> None:
    done = argmap("check", "claims.yaml", "--explain", "partners-put-off", cwd=REPO)
    assert (done.returncode, done.stderr) == (0, "")
    assert done.stdout == textwrap.dedent("""\
        partners-put-off (claim): ✘ defeated
          The breadth and depth of VMware's products are putting potential partners off.
          Why: Defeated by “VMware has a growing ecosystem of partners and licensees”, which stands.
          Supported by: symantec-oem (✘ defeated by catch-up, close-partner-doubt), vi3-bundle (✔ stands)
          Rule: every rebuttal that stands defeats what it rebuts
          How it fell: refuted by a rebuttal with evidence, a source or a quote
          Rebuttal chain (✔ stands, ✘ defeated, ? undecided):
            ✔ growing-ecosystem: VMware has a growing ecosystem of partners and licensees.
          Hangs on (remove or defeat one of these and its standing changes):
            would stand again if growing-ecosystem fell
        """)


def test_explain_a_point_with_a_deeper_chain() -> None:
    done = argmap("check", "claims.yaml", "--explain", "symantec-oem", cwd=REPO)
    assert done.returncode == 0
    assert "Rebuttal chain" in done.stdout
    unknown = argmap("check", "claims.yaml", "--explain", "partners-put-of", cwd=REPO)
    assert unknown.returncode == 2
    assert unknown.stderr == (
        "argmap: --explain partners-put-of: claims.yaml has no claim, rebuttal or evidence "
        "with that id; did you mean 'partners-put-off'?\n"
    )


def test_build_since_words_an_undercut_and_an_outweighed_attack(tmp_path: Path) -> None:
    """The brief's "Changed since" section gives the causes under the map's semantics: an
    undercut that now stands, then an attack that is now outweighed."""
    root = tmp_path / "h"
    root.mkdir()
    base = textwrap.dedent("""\
        title: Trial
        judgement: {attacks: weighed}
        sources: [{id: s, title: S}]
        claims:
          - {id: c, text: The street should close.}
          - {id: k, text: The trial is cheap.}
        rebuttals:
          - {id: r, rebuts: c, text: Trade will fall.}
          - {id: q, rebuts: k, source: s, text: It is not cheap.}
        """)
    cut = base + "  - {id: u, undercuts: [{from: r, to: c}], text: Off the point.}\n"
    heavy = cut.replace("{id: k, text:", "{id: k, weight: 5, text:")
    git(root, "init", "-q", "-b", "main")
    for text, message in ((base, "base"), (heavy, "cut and weigh")):
        (root / "claims.yaml").write_text(text, encoding="utf-8")
        git(root, "add", "claims.yaml")
        git(root, "commit", "-q", "-m", message)
    done = argmap("build", "claims.yaml", "--since", "HEAD~1", "-o", str(tmp_path / "o"), cwd=root)
    assert done.returncode in (0, 3), done.stderr
    html = (tmp_path / "o" / "brief.html").read_text(encoding="utf-8")
    section = html[html.index('id="h_changed_since"') :]
    assert "2 standings changed, 1 point added, 1 relation added." in section
    assert " is now undercut by " in section
    assert " is now outweighed (strength 1: a source, against 5: the weight its analyst gave)" in (
        section
    )
