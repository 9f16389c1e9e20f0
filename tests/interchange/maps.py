"""Maps for the interchange tests: hostile texts, the repository's maps, random maps, and the
comparison of two maps that a round trip must keep equal. Loaded by the test modules with
`load_helpers()` (tests/ is not a package)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from hypothesis import strategies as st

from argmap.evaluate import evaluate
from argmap.model import ArgMap
from argmap.pipeline import check

TESTS = Path(__file__).resolve().parent.parent
ROOT = TESTS.parent

# Every construct that changes meaning in Argdown if left bare, and YAML's traps.
ARGDOWN_HOSTILE = [
    "_underscored_ and __bold__ and *starred* and **strong**",
    "snake_case_name and a lone * star and 2*3*4",
    "[a statement]: inside and [ref] and <an argument>: inside and <ref>",
    "@[mention] and @<mention> and email me@example.org",
    "#hashtag and #(tag in parens) and C# and issue #12",
    "`code` and ``double`` backticks",
    "===",
    "a line with === inside === it",
    ":smile: and :+1: and 10:30:00 and a: b",
    ".v. and .^. and e.g. and i.e. and 3.14 and ...",
    "-> arrow and <- back and +> sup and <+ and >< and _> and <_",
    "+> starts like a relation",
    "- starts like a list",
    "* also a list",
    "1. numbered",
    "(1) a premise number",
    "-- an inference --",
    "// not a comment",
    "/* not a comment */ and <!-- not one either -->",
    '{data: not} and {"json": 1} and }{',
    "back\\slash and trailing backslash \\",
    "[link](https://example.org) text",
    "yes",
    "null",
    "1e3",
    "2007",
    "- a dash",
    "# a hash",
    "& an ampersand",
    "! a bang",
    "key: value",
    "two  spaces and\ttab",
    " leading and trailing ",
    "line one\nline two\n\nparagraph",
    "unicode: é ß 漢字 هل 🎉👍🏽 \u200b zero width \u202e rtl",
    "\u2028 separators \u2029 and \x85 next line",
    "quotes ' \" ’ “ ” and % $ ^ ~ | ? ; ,",
]

WORDS = [*ARGDOWN_HOSTILE, "a", " ", "  ", ".", ":", "_", "*", "\\", "#", "[", "]", "<", ">", "{"]
TEXT = (
    st.lists(st.one_of(st.sampled_from(WORDS), st.text(max_size=5)), min_size=1, max_size=6)
    .map("".join)
    .filter(lambda t: t.strip() != "" and "\x00" not in t)
)
IDS = st.from_regex(r"[a-z0-9][a-z0-9-]{0,10}", fullmatch=True) | st.sampled_from(
    ["yes", "null", "1e3", "2007", "007", "a--b", "true"]
)


@st.composite
def random_maps(draw: st.DrawFn) -> ArgMap:
    """A valid map with hostile texts; rebuttals of anything but themselves (cycles too);
    evidence for claims, rebuttals and other evidence."""
    sizes = [draw(st.integers(lo, hi)) for lo, hi in ((1, 4), (0, 5), (0, 4), (0, 2), (0, 2))]
    ids = draw(st.lists(IDS, min_size=sum(sizes), max_size=sum(sizes), unique=True))
    cut = [sum(sizes[:i]) for i in range(6)]
    claims, rebuttals, evidence, speakers, sources = (ids[cut[i] : cut[i + 1]] for i in range(5))

    def statement(ident: str) -> dict[str, Any]:
        item: dict[str, Any] = {"id": ident, "text": draw(TEXT)}
        if draw(st.booleans()) and speakers:
            item["by"] = draw(st.sampled_from(speakers))
        if draw(st.booleans()) and sources:
            item["source"] = draw(st.sampled_from(sources))
            if draw(st.booleans()):
                item["quote"] = draw(TEXT)
        if draw(st.booleans()):
            item["tags"] = draw(st.lists(IDS, max_size=2, unique=True))
        return item

    def some(choices: list[str]) -> list[str]:
        return draw(st.lists(st.sampled_from(choices), min_size=1, max_size=3, unique=True))

    data: dict[str, Any] = {"title": draw(TEXT)}
    for key in ("question", "summary"):
        if draw(st.booleans()):
            data[key] = draw(TEXT)
    data["sources"] = [
        {"id": s, "title": draw(TEXT), "url": "https://example.org/" + s} for s in sources
    ]
    data["speakers"] = [{"id": s, "name": draw(TEXT), "role": draw(TEXT)} for s in speakers]
    data["claims"] = [statement(c) for c in claims]
    every = claims + rebuttals + evidence
    data["rebuttals"] = [
        statement(r) | {"rebuts": some([x for x in every if x != r])} for r in rebuttals
    ]
    data["evidence"] = [
        statement(e)
        | {
            "supports": some([x for x in claims + rebuttals + evidence if x != e]),
            "kind": draw(st.sampled_from(["fact", "statistic", "quote", "example", "document"])),
        }
        for e in evidence
    ]
    return ArgMap.model_validate(data)


@st.composite
def random_shaped_maps(draw: st.DrawFn) -> ArgMap:
    """A random map (`random_maps`) given the shapes of real debates: claims that rebut and
    support, evidence that rebuts, rebuttals that support, undercuts of random links (by
    rebuttals and evidence), analysts' weights, reported speech (`reported_by`, `paraphrase`)
    and sometimes `attacks: weighed`."""
    data = draw(random_maps()).model_dump(by_alias=True, exclude_none=True)
    every = [s["id"] for section in ("claims", "rebuttals", "evidence") for s in data[section]]

    def more(ident: str, have: list[str]) -> list[str]:
        choices = [x for x in every if x != ident and x not in have]
        if not choices or not draw(st.booleans()):
            return []
        return draw(st.lists(st.sampled_from(choices), min_size=1, max_size=2, unique=True))

    for section, fields in (
        ("claims", ("rebuts", "supports")),
        ("rebuttals", ("supports",)),
        ("evidence", ("rebuts",)),
    ):
        for item in data[section]:
            for field in fields:
                extra = more(item["id"], item.get(field, []))
                if extra:
                    item[field] = [*item.get(field, []), *extra]
            if draw(st.integers(0, 3)) == 0:
                item["weight"] = draw(st.integers(0, 4))
    links = [
        (item["id"], t)
        for section in ("claims", "rebuttals", "evidence")
        for item in data[section]
        for field in ("rebuts", "supports")
        for t in dict.fromkeys(item.get(field, []))
    ]
    for section in ("rebuttals", "evidence"):
        for item in data[section]:
            mine = [ln for ln in links if ln[0] != item["id"]]
            wanted: bool = draw(st.booleans())
            if mine and wanted:
                chosen = draw(st.lists(st.sampled_from(mine), min_size=1, max_size=3, unique=True))
                item["undercuts"] = [{"from": a, "to": b} for a, b in chosen]
    reporters = [s["id"] for s in data["speakers"] + data["sources"]]
    for section in ("claims", "rebuttals", "evidence"):
        for item in data[section]:
            if reporters and draw(st.integers(0, 3)) == 0:
                item["reported_by"] = draw(st.sampled_from(reporters))
            if "quote" in item and draw(st.booleans()):
                item["paraphrase"] = True
    if draw(st.booleans()):
        data["judgement"] = {"attacks": "weighed"}
    return ArgMap.model_validate(data)


def shaped_maps() -> dict[str, ArgMap]:
    """The example maps (examples/*/claims.yaml: undercuts, rival theses, points that support
    and rebut)."""
    return {
        f"example-{folder.name}": check(folder / "claims.yaml").argmap
        for folder in sorted((ROOT / "examples").iterdir())
        if (folder / "claims.yaml").is_file()
    }


def hostile_map() -> ArgMap:
    """Every hostile text as a claim, a rebuttal's text, an evidence text and a quote."""
    n = len(ARGDOWN_HOSTILE)
    data: dict[str, Any] = {
        "title": "Hostile === *title* :smile:",
        "question": "Does [this] survive?\nOn two lines",
        "summary": ARGDOWN_HOSTILE[-4],
        "sources": [{"id": "src", "title": "A {source} === title", "url": "https://example.org/x"}],
        "speakers": [{"id": "who", "name": "Ann _O'Neil_ <ann@example.org>"}],
        "claims": [
            {"id": f"c{i}", "text": t, "by": "who", "tags": ["hostile", f"t{i}"]}
            for i, t in enumerate(ARGDOWN_HOSTILE)
        ],
        "rebuttals": [
            {
                "id": f"r{i}",
                "text": t,
                "rebuts": [f"c{i}", f"e{(i + 1) % n}"],
                "quote": t,
                "source": "src",
            }
            for i, t in enumerate(ARGDOWN_HOSTILE)
        ],
        "evidence": [
            {
                "id": f"e{i}",
                "text": t,
                "supports": [f"c{(i + 2) % n}", f"r{i}"],
                "kind": "statistic",
            }
            for i, t in enumerate(ARGDOWN_HOSTILE)
        ],
    }
    return ArgMap.model_validate(data)


def repository_maps() -> dict[str, ArgMap]:
    """The seed map, every tests/cases map and every valid map of the hostile corpus."""
    from tests.conftest import map_id
    from tests.conftest import repository_maps as paths

    return {map_id(path): check(path).argmap for path in paths()}


def comparable(m: ArgMap) -> dict[str, Any]:
    """What a round trip must keep: every field of the map and its standings, except the
    sources' `file` (a path that means nothing once the map moves)."""
    dumped = m.model_dump()
    for s in dumped["sources"]:
        s.pop("file", None)
    ev = evaluate(m)
    dumped["standings"] = {k: v.standing for k, v in ev.verdicts.items()}
    return dumped
