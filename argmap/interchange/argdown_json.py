"""Read the JSON that `argdown json` writes: statements, arguments and the relations between
them, with each member's text, data and tags.

This is how a map with premise-conclusion structures or inference rules comes in: Argdown's
own parser reads them and derives the relations. The structures themselves, and statements
that occur only inside them, have no place in argmap and are reported.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Final

from argmap.interchange.argdown_data import argmap_data, narrow_undercuts
from argmap.interchange.argdown_in import DATA_KEYS
from argmap.interchange.argdown_text import strip_trailing_tags
from argmap.interchange.draft import Draft, Edge, Point, Undercut
from argmap.interchange.jsonread import load_json
from argmap.interchange.losses import BadInput, Place, Problem
from argmap.interchange.shapes import rival_theses

_TYPES: Final = {"equivalence-class": "s:", "argument": "a:"}


def _dropper(d: Draft, place: Place) -> Callable[[str, str], None]:
    def drop(noun: str, why: str) -> None:
        d.losses.add("dropped", noun, why, place)

    return drop


def _line(element: dict[str, Any]) -> Place:
    for member in element.get("members") or []:
        if isinstance(member, dict) and isinstance(member.get("startLine"), int):
            return Place(line=member["startLine"])
    return Place(node=str(element.get("title", "?")))


def _text(element: dict[str, Any]) -> str | None:
    data = element.get("data")
    if isinstance(data, dict) and isinstance(data.get("text"), str) and data["text"].strip():
        return str(data["text"])
    for member in element.get("members") or []:
        if (
            isinstance(member, dict)
            and isinstance(member.get("text"), str)
            and member["text"].strip()
        ):
            return strip_trailing_tags(member["text"]).strip() or None
    return None


def _conclusion(element: dict[str, Any]) -> tuple[str, str | None] | None:
    """An argument's main conclusion: its text and the title of its statement."""
    for member in reversed(element.get("pcs") or []):
        if isinstance(member, dict) and member.get("role") == "main-conclusion":
            text = member.get("text")
            if isinstance(text, str) and text.strip():
                title = member.get("title")
                return strip_trailing_tags(text).strip(), title if isinstance(title, str) else None
    return None


def read_argdown_json(text: str, file: str) -> Draft:
    """A `Draft` of `argdown json` output, or `BadInput` naming each bad element."""
    doc = load_json(text, file)
    if not isinstance(doc, dict) or not isinstance(doc.get("statements"), dict):
        raise BadInput(
            [Problem(file, Place(1, 1), "not the JSON of `argdown json`: no `statements` object")]
        )
    d = Draft(file=file, fmt="argdown-json")
    problems: list[Problem] = []
    used: set[str] = set()
    relations: list[Any] = doc["relations"] if isinstance(doc.get("relations"), list) else []
    for r in relations:
        if isinstance(r, dict):
            used.add(_TYPES.get(str(r.get("fromType")), "?") + str(r.get("from")))
            used.add(_TYPES.get(str(r.get("toType")), "?") + str(r.get("to")))
    arguments: dict[str, Any] = doc["arguments"] if isinstance(doc.get("arguments"), dict) else {}
    # An argument without a description says what it argues for by its main conclusion: that
    # statement is carried as the argument's text, not dropped.
    as_text: dict[str, str] = {}  # argument title -> the text of its main conclusion
    listed: dict[str, list[tuple[str, str]]] = {}  # point key -> its data's undercut links
    carried: set[str] = set()  # the titles of those conclusions' statements
    for title, element in arguments.items():
        if isinstance(element, dict) and _text(element) is None:
            found = _conclusion(element)
            if found is not None:
                as_text[str(title)] = found[0]
                if found[1] is not None:
                    carried.add("s:" + found[1])
    for prefix, elements in (("s:", doc["statements"]), ("a:", arguments)):
        for title, element in elements.items():
            if not isinstance(element, dict):
                problems.append(Problem(file, Place(node=str(title)), "not an object"))
                continue
            key = prefix + str(title)
            place = _line(element)
            top = element.get("isUsedAsTopLevelStatement") or element.get(
                "isUsedAsRelationStatement"
            )
            if prefix == "s:" and not top and key not in used:
                if key in carried:
                    continue
                d.losses.add(
                    "dropped",
                    "statement used only inside a premise-conclusion structure",
                    "argmap has no premise-conclusion structures",
                    place,
                    "statements used only inside premise-conclusion structures",
                )
                continue
            words = _text(element)
            if prefix == "a:" and element.get("pcs"):
                d.losses.add(
                    "dropped",
                    "premise-conclusion structure",
                    "argmap keeps the argument and its relations, not its premises and inferences",
                    place,
                )
                if words is None and str(title) in as_text:
                    words = as_text[str(title)]
                    d.losses.add(
                        "used",
                        "main conclusion as its argument's text",
                        "the argument has no description of its own",
                        place,
                        "main conclusions as their arguments' texts",
                    )
            point = Point(key=key, name=str(title), text=words, place=place)
            data: dict[str, Any] = element["data"] if isinstance(element.get("data"), dict) else {}
            point.paraphrase = data.get("paraphrase") is True
            for field in ("by", "quote", "source", "kind", "reported_by"):
                if isinstance(data.get(field), str):
                    setattr(point, field, data[field])
            links = argmap_data(point, data, _dropper(d, place), d)
            if links:
                listed[key] = links
            if any(k not in DATA_KEYS for k in data):
                d.losses.add("dropped", "data field", "argmap has no such field", place)
            tags = element.get("tags")
            point.tags = [t for t in tags if isinstance(t, str)] if isinstance(tags, list) else []
            d.points[key] = point
    for r in relations:
        if not isinstance(r, dict):
            continue
        kind = r.get("relationType")
        a = _TYPES.get(str(r.get("fromType")), "?") + str(r.get("from"))
        b = _TYPES.get(str(r.get("toType")), "?") + str(r.get("to"))
        place = d.points[a].place if a in d.points else Place(node=str(r.get("from")))
        if r.get("toType") == "inference" or r.get("fromType") == "inference":
            d.losses.add("dropped", "undercut", "argmap has no attack on an inference", place)
            continue
        for end in (a, b):
            if end not in d.points:
                problems.append(
                    Problem(
                        file,
                        Place(node=end[2:]),
                        f"a {kind} relation names {end[2:]}, which is not defined",
                    )
                )
        if a not in d.points or b not in d.points:
            continue
        if kind in ("support", "entails"):
            d.supports.append(Edge(a, b, place))
        elif kind == "attack":
            d.attacks.append(Edge(a, b, place))
        elif kind == "undercut":  # on `b`'s inference: every link of `b` (`shapes`)
            d.undercuts.append(Undercut(a, b, None, place))
        elif kind in ("contrary", "contradictory"):
            d.attacks.append(Edge(a, b, place))
            d.attacks.append(Edge(b, a, place))
            d.losses.add(
                "turned",
                f"{kind} relation into two rebuttals",
                "argmap has no contradiction; each side rebuts the other",
                place,
            )
        else:
            d.losses.add("dropped", f"{kind} relation", "argmap does not know this relation", place)
    d.undercuts = narrow_undercuts(d, listed)
    for key in rival_theses(d, only="s:"):  # statements that only rebut each other
        d.points[key].role = "claim"
    if problems:
        raise BadInput(problems)
    if not d.points:
        raise BadInput([Problem(file, Place(1, 1), "no statements or arguments found")])
    return d
