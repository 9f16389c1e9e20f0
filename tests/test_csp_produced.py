"""The brief's Content-Security-Policy, made from the inline code argmap's own templates record
as they write it (`csp.Produced`), must be the policy the standard HTML parser finds in the
finished page (`csp.add_policy`), at the same place: on the seed, the golden cases, every valid
map of the hostile corpus (drawn by the real dot where it is installed) and on generated maps
whose every text is made to look like markup."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from argmap.evaluate import evaluate
from argmap.model import ArgMap
from argmap.pipeline import check
from argmap.render import render
from argmap.render.brief import render_brief
from argmap.render.csp import Produced, add_policy, policy_meta
from tests.conftest import map_id, repository_maps

REPO = Path(__file__).resolve().parent.parent
POLICY = re.compile(r'<meta http-equiv="Content-Security-Policy" content="[^"]*">')
HAS_DOT = shutil.which("dot") is not None


def parsed_policy(page: str) -> str:
    """`page` with its policy taken out and made again the old way, by parsing the page."""
    assert len(POLICY.findall(page)) == 1
    return add_policy(POLICY.sub("", page, count=1))


@pytest.mark.parametrize("path", repository_maps(), ids=map_id)
def test_the_recorded_policy_is_the_parsed_one(path: Path, tmp_path: Path) -> None:
    valid = check(path)
    ev = evaluate(valid.argmap)
    if HAS_DOT:  # the page with its diagram and every claim's picture, as a build makes it
        rendered = render(valid, ev, map_name="claims.yaml", only=("brief.html",))
        page = rendered.files["brief.html"].decode()
    else:
        page = render_brief(
            valid.argmap,
            ev,
            svg=None,
            diagnostics=valid.warnings,
            map_name="claims.yaml",
            map_dir=valid.map_dir,
        )
    assert page == parsed_policy(page)


MARKUP = st.sampled_from(
    [
        "<script>alert(1)</script>",
        "</script><script>x()</script>",
        "<style>*{}</style>",
        "</style>",
        "<!--",
        "-->",
        "<![CDATA[",
        "<meta charset=x>",
        "<head>",
        '"><script src=x>',
        "<scr<script>ipt>",
        "&lt;script&gt;",
        "<svg><style>a{}</style></svg>",
        "\\",
        "\u2028",
        "\x00",
    ]
)
TEXT = st.lists(st.one_of(MARKUP, st.text(min_size=1, max_size=8)), min_size=1, max_size=5).map(
    lambda parts: "x" + "".join(parts)  # never blank
)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(title=TEXT, claim=TEXT, rebuttal=TEXT, tag=TEXT)
def test_hostile_text_gives_the_parsed_policy(
    title: str, claim: str, rebuttal: str, tag: str
) -> None:
    argmap = ArgMap.model_validate(
        {
            "title": title,
            "question": claim,
            "speakers": [{"id": "s", "name": tag, "role": rebuttal}],
            "claims": [{"id": "c", "text": claim, "by": "s"}],
            "rebuttals": [{"id": "r", "text": rebuttal, "rebuts": "c", "by": "s"}],
        }
    )
    page = render_brief(
        argmap,
        evaluate(argmap),
        svg=None,
        diagnostics=[],
        map_name=title,
        map_dir=REPO / "tests" / "cases" / "seed",
    )
    assert page == parsed_policy(page)


def test_a_users_template_is_parsed(tmp_path: Path) -> None:
    # The user's page writes its own script without `inline`: the parser still allows it.
    (tmp_path / "templates").mkdir()
    (tmp_path / "templates" / "brief.html.j2").write_text(
        '<html><head><meta charset="utf-8"><script>mine()</script></head></html>\n',
        encoding="utf-8",
    )
    (tmp_path / "claims.yaml").write_text("title: T\nclaims:\n  - {id: c, text: t}\n")
    valid = check(tmp_path / "claims.yaml")
    page = render_brief(
        valid.argmap,
        evaluate(valid.argmap),
        svg=None,
        diagnostics=[],
        map_name="claims.yaml",
        map_dir=tmp_path,
    )
    assert policy_meta([("script", "mine()")]) in page


def test_produced_writes_and_records_the_code() -> None:
    produced = Produced()
    assert produced("style", lambda: "p{}") == "<style>p{}</style>"
    page = produced.add_policy('<head><meta charset="utf-8"><style>p{}</style>')
    assert page == add_policy('<head><meta charset="utf-8"><style>p{}</style>')
    with pytest.raises(ValueError, match="call inline"):
        produced("img", lambda: "")
