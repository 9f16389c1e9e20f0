"""`argmap import` of foreign files written for these tests (tests/interchange/): each becomes
a claims.yaml that argmap's validator accepts, with exactly the loss report expected (in
NAME.expected.txt beside it; ARGMAP_UPDATE_GOLDEN=1 rewrites them, review the diff). Bad input
gets FILE:LINE:COL or FILE: node ID messages, and ids become argmap ids deterministically."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from argmap.evaluate import evaluate
from argmap.interchange.convert import to_map
from argmap.interchange.draft import Draft, Edge, Point
from argmap.interchange.ids import IdMaker, slug
from argmap.interchange.importer import guess, import_file, import_text
from argmap.interchange.losses import BadInput, Place, phrase
from argmap.load import parse
from argmap.validate import validate

HERE = Path(__file__).resolve().parent / "interchange"
FOREIGN = sorted(
    p
    for p in HERE.iterdir()
    if p.suffix in (".argdown", ".json", ".txt") and ".expected" not in p.name
)


def report(path: Path, out: Path) -> str:
    imported = import_file(path, out)
    return "".join(phrase(loss) + "\n" for loss in imported.losses)


@pytest.mark.parametrize("path", FOREIGN, ids=lambda p: p.name)
def test_foreign_file_imports_with_its_expected_losses(path: Path, tmp_path: Path) -> None:
    out = tmp_path / "claims.yaml"
    imported = import_file(path, out)
    # The text written is what argmap check reads as valid (import checked it; check again),
    # with the files it writes beside it (an xAIF dialogue's text, as a source).
    for name, body in imported.files.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(body, encoding="utf-8")
    valid = validate(parse(imported.text, str(out), out))
    assert valid.argmap == imported.valid.argmap
    assert imported.text.startswith(f"# Imported by `argmap import` from {path.name} (")
    expected = path.with_name(path.name + ".expected.txt")
    got = "".join(phrase(loss) + "\n" for loss in imported.losses)
    if os.environ.get("ARGMAP_UPDATE_GOLDEN"):
        expected.write_text(got, encoding="utf-8")
    assert got == expected.read_text(encoding="utf-8")


def test_the_formats_are_guessed() -> None:
    found = {p.name: guess(p, p.read_text(encoding="utf-8")) for p in FOREIGN}
    want = {
        ".argdown": "argdown",
        ".txt": "kialo",
    }
    for name, fmt in found.items():
        if name.endswith(".argdown.json"):
            assert fmt == "argdown-json", name
        elif name.endswith(".xaif.json"):
            assert fmt == "xaif", name
        elif name.endswith(".json"):
            assert fmt == "aif", name
        else:
            assert fmt == want[Path(name).suffix], name


BAD = [
    ("aif", '{"nodes": [1, 2', r"^x:1:16: error: not valid JSON: "),
    ("aif", "[]", r"^x:1:1: error: AIF JSON is an object"),
    ("aif", '{"nodes": []}', r"^x:1:1: error: no `edges` list"),
    (
        "aif",
        '{"nodes": [{"nodeID": "1", "text": "a", "type": "I"}], '
        '"edges": [{"edgeID": "e", "fromID": "1", "toID": "9"}]}',
        r"^x: node 9: error: edge e names node 9, which is not in `nodes`$",
    ),
    (
        "aif",
        '{"nodes": [{"nodeID": "1", "text": "a", "type": "I"}, '
        '{"nodeID": "1", "text": "b", "type": "I"}], "edges": []}',
        r"^x: node 1: error: a second node with this nodeID",
    ),
    ("argdown", "[a]: text\n\n  -> [b]\n", r"^x:3:3: error: the relation `->` needs an element"),
    (
        "argdown",
        "===\ntitle: [unclosed\n===\n[a]: b\n",
        r"^x:3:1: error: in the front matter: not valid YAML",
    ),
    (
        "argdown",
        "===\ntitle: x\n[a]: b\n",
        r"^x:1:1: error: the front matter opened here is never closed",
    ),
    ("argdown", "[a]: text {by: [x}\n", r"^x:1:\d+: error: in the inline data: not valid YAML"),
    ("argdown", "// only a comment\n", r"^x:1:1: error: no statements or arguments found"),
    (
        "kialo",
        "1. Thesis\n1.1.1. Pro: orphan\n",
        r"^x:2:1: error: 1\.1\.1\. comes before its parent$",
    ),
    (
        "kialo",
        "1. Thesis\n1.1. Con: -> See 1.9.\n",
        r"^x:2:11: error: the link names 1\.9\., which",
    ),
    ("kialo", "hello\n", r"^x:1:1: error: expected `Discussion Name:`, .* or `1\.` and the thesis"),
    (
        "argdown-json",
        '{"statements": {}, "relations": [{"relationType": "attack", "from": "a", '
        '"fromType": "argument", "to": "b", "toType": "equivalence-class"}]}',
        r"^x: node a: error: a attack relation names a, which is not defined",
    ),
]


@pytest.mark.parametrize(
    ("fmt", "text", "message"), BAD, ids=[f"{f}-{i}" for i, (f, _, _) in enumerate(BAD)]
)
def test_bad_input_is_named_where_it_is(fmt: str, text: str, message: str, tmp_path: Path) -> None:
    with pytest.raises(BadInput) as caught:
        import_text(text, "x", fmt, tmp_path / "claims.yaml")
    first = str(caught.value.problems[0])
    assert re.search(message, first), first
    assert "\n" not in first


def test_ids_are_made_deterministically_and_uniquely() -> None:
    ids = IdMaker()
    made = [
        ids.make(x)
        for x in ["Ad Hominem", "ad-hominem", "AD HOMINEM!", "x" * 80, "x" * 81, "", "é"]
    ]
    assert made == [
        "ad-hominem",
        "ad-hominem-2",
        "ad-hominem-3",
        "x" * 64,
        "x" * 62 + "-2",
        "n",
        "e",
    ]
    assert all(re.fullmatch(r"[a-z0-9][a-z0-9-]{0,63}", m) for m in made)
    assert ids.renamed()["Ad Hominem"] == "ad-hominem"
    assert ids.renamed()["ad-hominem"] == "ad-hominem-2"
    assert "e" not in ids.renamed()
    assert slug("--") == "n"


def test_equal_names_of_a_statement_and_an_argument_get_two_ids(tmp_path: Path) -> None:
    imported = import_text(
        "[A]: a statement\n\n<A>: an argument\n  -> [A]\n", "x", "argdown", tmp_path / "c.yaml"
    )
    m = imported.valid.argmap
    assert [c.id for c in m.claims] == ["a"]
    assert [(r.id, r.rebuts) for r in m.rebuttals] == [("a-2", ["a"])]
    assert imported.renamed == {"A": "a-2"} or imported.renamed == {"A": "a"} | {"A": "a-2"}


def test_a_map_of_only_cycles_gets_its_first_point_as_the_claim(tmp_path: Path) -> None:
    """The first point becomes the claim and keeps its rebuttal (a claim may rebut): the cycle,
    and so every standing, is kept, and nothing is lost."""
    d = Draft(file="x", fmt="argdown")
    for k in ("a", "b", "c"):
        d.points[k] = Point(key=k, name=k, text=f"text {k}", place=Place(node=k))
    d.attacks = [Edge(a, b, Place(node=a)) for a, b in (("a", "b"), ("b", "c"), ("c", "a"))]
    imported = to_map(d, tmp_path / "c.yaml")
    m = imported.valid.argmap
    assert [(c.id, c.rebuts) for c in m.claims] == [("a", ["b"])]
    assert [(r.id, r.rebuts) for r in m.rebuttals] == [("b", ["c"]), ("c", ["a"])]
    assert imported.losses == []
    assert {v.standing for v in evaluate(m).verdicts.values()} == {"undecided"}


@pytest.mark.parametrize(
    "text",
    [
        "yes",
        "null",
        "1e3",
        "2007",
        "- dash",
        "# hash",
        "* star",
        "& amp",
        "! bang",
        "a: b",
        "line\nbreak",
        "tab\there",
        " padded ",
        "ünï©ødé 🎉",
        "\u2028\x85\ufeff",
        "'quoted'",
        '"dq"',
        "@at",
        "`tick`",
        "%pct",
        "{a: 1}",
        "[1, 2]",
        "~",
        "key:",
        "x #comment",
        "---",
        "...",
    ],
)
def test_any_text_survives_the_yaml_written(text: str, tmp_path: Path) -> None:
    d = Draft(file="x", fmt="argdown", title=text, question=text, summary=text)
    d.points["p"] = Point(key="p", name="yes", text=text, place=Place(1), tags=["2007"])
    m = to_map(d, tmp_path / "c.yaml").valid.argmap
    if text.strip():
        assert (m.title, m.question, m.summary, m.claims[0].text) == (text, text, text, text)
    assert m.claims[0].id == "yes"
    assert m.claims[0].tags == ["2007"]


def test_a_name_only_lowercased_is_not_listed_as_renamed(tmp_path: Path) -> None:
    imported = import_text(
        "[Bargain]: a deal\n  <- [Platform Two]: no deal\n", "x", "argdown", tmp_path / "c.yaml"
    )
    assert [c.id for c in imported.valid.argmap.claims] == ["bargain"]
    assert imported.renamed == {"Platform Two": "platform-two"}
