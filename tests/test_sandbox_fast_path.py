"""The brief's sandbox takes a quick path for plain data (issue 10): it must decide exactly as
Jinja2's own sandbox does, for every attribute of every kind of object a template can reach,
and for anything else fall back to the full checks. The defaults alone are argmap's own code
and render outside the sandbox: they must give the same page as inside it."""

from __future__ import annotations

import types
from pathlib import Path
from typing import Any

import pytest
from jinja2 import Undefined
from jinja2.sandbox import SandboxedEnvironment
from markupsafe import Markup

from argmap.evaluate import evaluate
from argmap.pipeline import check
from argmap.render.templates import environment
from argmap.render.view import View

REPO = Path(__file__).resolve().parent.parent
EXTRA = ["_x", "__class__", "__init__", "__globals__", "mro", "format", "format_map", "nope"]


def sandbox(folder: Path) -> Any:
    """The sandbox, as a map folder with its own (here empty) `templates/` gets."""
    (folder / "templates").mkdir(exist_ok=True)
    env = environment(folder)
    assert isinstance(env, SandboxedEnvironment)
    return env


def reachable() -> list[Any]:
    valid = check(REPO / "claims.yaml")
    ev = evaluate(valid.argmap)
    view = View(valid.argmap, ev)
    claim = valid.argmap.claims[0]

    def gen() -> Any:
        yield 1

    return [
        valid.argmap,
        claim,
        valid.argmap.rebuttals[0],
        valid.argmap.evidence[0],
        valid.argmap.speakers[0],
        ev,
        ev[claim.id],
        view,
        view._thread(claim.id, 0, frozenset()),
        "text",
        Markup("<b>x</b>"),
        3,
        2.5,
        True,
        None,
        [1, 2],
        (1, 2),
        {"text": "in a dict", "items": 1},
        {1, 2},
        View,  # a class: never the quick path
        view.reason,  # a bound method
        len,
        lambda: 1,
        gen(),
        types.SimpleNamespace(text="x"),
    ]


def same(fast: Any, slow: Any) -> bool:
    if isinstance(fast, Undefined) or isinstance(slow, Undefined):
        return (
            type(fast) is type(slow)
            and fast._undefined_exception is slow._undefined_exception
            and fast._undefined_name == slow._undefined_name
        )
    if isinstance(fast, types.MethodType) and isinstance(slow, types.MethodType):
        return fast.__func__ is slow.__func__ and fast.__self__ is slow.__self__
    if callable(fast) and getattr(fast, "__wrapped__", None) is not None:  # str.format wrapped
        return bool(getattr(slow, "__wrapped__", None) == fast.__wrapped__)
    return fast is slow or bool(fast == slow)


@pytest.mark.filterwarnings("ignore::DeprecationWarning")  # pydantic's, on dir() of a model
@pytest.mark.parametrize("obj", reachable(), ids=lambda o: type(o).__name__)
def test_quick_path_decides_as_the_sandbox(obj: Any, tmp_path: Path) -> None:
    env = sandbox(tmp_path)
    names = sorted({*dir(obj), *EXTRA})
    for name in names:
        assert same(env.getattr(obj, name), SandboxedEnvironment.getattr(env, obj, name)), name
        assert same(env.getitem(obj, name), SandboxedEnvironment.getitem(env, obj, name)), name


def test_private_attributes_stay_refused(tmp_path: Path) -> None:
    env = sandbox(tmp_path)
    claim = check(REPO / "claims.yaml").argmap.claims[0]
    template = env.from_string("{{ c.__class__ }}|{{ c._x is defined }}|{{ c.text }}")
    with pytest.raises(Exception, match="unsafe"):
        template.render(c=claim)
    assert env.from_string("{{ c.text }}").render(c=claim) == Markup.escape(claim.text)


def test_only_user_templates_are_sandboxed(tmp_path: Path) -> None:
    assert not environment(tmp_path).sandboxed  # the defaults alone: argmap's own code
    own = tmp_path / "mine"
    own.mkdir()
    assert environment(tmp_path, own).sandboxed  # --templates DIR
    assert sandbox(tmp_path).sandboxed  # templates/ beside the map


@pytest.mark.parametrize(
    "case", ["claims.yaml", "tests/hostile/dot-breaking-in-every-field/claims.yaml"]
)
def test_the_defaults_give_the_same_page_inside_and_outside_the_sandbox(
    case: str, tmp_path: Path
) -> None:
    from argmap.render.brief import render_brief

    valid = check(REPO / case)
    ev = evaluate(valid.argmap)

    def page(templates: Path | None) -> str:
        return render_brief(
            valid.argmap,
            ev,
            svg=None,
            diagnostics=valid.warnings,
            map_name="claims.yaml",
            map_dir=tmp_path,
            templates=templates,
        )

    empty = tmp_path / "empty"
    empty.mkdir()
    assert page(None) == page(empty)
