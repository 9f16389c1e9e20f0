"""The files people have today, one test file per quirk, each written for these tests to the
published shape (tests/interchange/): xAIF (OVA3 and the argument-mining pipelines), AIFdb
nodesets, Kialo's current and older exports, Argdown as people write it. Each imports to a map
that passes `argmap check` (test_interchange_import.py checks that and the exact loss report);
here, that what matters in each quirk came through."""

from __future__ import annotations

import json
import random
import subprocess
from pathlib import Path
from typing import Any

import pytest

from argmap.errors import InvalidMap
from argmap.evaluate import evaluate
from argmap.interchange.aif_speech import DIALOGUE_SOURCE, FILE_SOURCE
from argmap.interchange.convert import Imported
from argmap.interchange.importer import guess, import_file
from argmap.interchange.losses import BadInput, phrase
from argmap.load import parse
from argmap.model import ArgMap
from argmap.validate import validate
from tests.conftest import ARGDOWN_CLI, argdown_problem

HERE = Path(__file__).resolve().parent / "interchange"


def imported(name: str, tmp: Path) -> Imported:
    out = tmp / "claims.yaml"
    result = import_file(HERE / name, out)
    for rel, body in result.files.items():  # as `argmap import` writes them, before the map
        (tmp / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp / rel).write_text(body, encoding="utf-8")
    out.write_text(result.text, encoding="utf-8")
    validate(parse(result.text, str(out), out))  # argmap check, with the files beside it
    return result


def texts(m: ArgMap) -> dict[str, str]:
    return {s.id: s.text for s in m.statements()}


def speakers(m: ArgMap) -> dict[str, str | None]:
    names = {s.id: s.name for s in m.speakers}
    return {s.id: names.get(s.by) if s.by else None for s in m.statements()}


def test_xaif_speakers_come_from_participants_and_quotes_are_checked_in_its_text(
    tmp_path: Path,
) -> None:
    result = imported("sundays.xaif.json", tmp_path)
    m = result.valid.argmap
    assert guess(HERE / "sundays.xaif.json", (HERE / "sundays.xaif.json").read_text()) == "xaif"
    assert speakers(m) == {"3": "Mira Okafor", "5": "Tom Becker", "7": "Mira Okafor"}
    assert [(r.id, r.rebuts) for r in m.rebuttals] == [("5", ["3"])]
    assert [(e.id, e.supports) for e in m.evidence] == [("7", ["3"])]
    # The dialogue's text (HTML in the file) is the quotes' source, as plain text beside the map.
    assert [(s.id, s.file) for s in m.sources] == [(DIALOGUE_SOURCE, "sources/sundays-xaif.txt")]
    dialogue = result.files["sources/sundays-xaif.txt"]
    assert "<span" not in dialogue and "<br" not in dialogue
    assert "Tom Becker Sunday staff cost twice as much." in dialogue
    assert all(s.source == DIALOGUE_SOURCE and s.quote for s in m.statements())
    # A quote changed in the map would now be caught by `argmap check`.
    changed = result.text.replace("quote: Sunday staff cost", "quote: Sunday staff costs")
    with pytest.raises(InvalidMap) as caught:
        validate(parse(changed, str(tmp_path / "claims.yaml"), tmp_path / "claims.yaml"))
    assert any("quote" in d.message for d in caught.value.diagnostics)


def test_xaif_without_participants_takes_speakers_from_the_l_node_prefix(tmp_path: Path) -> None:
    result = imported("bike-lanes.xaif.json", tmp_path)
    m = result.valid.argmap
    assert speakers(m) == {"i1": "Ana Ruiz", "i2": "Leo Park"}
    quotes = {s.id: (s.quote, s.source) for s in m.statements()}
    # Found verbatim in the text: checked against it; not found: the file itself, reported.
    assert quotes == {
        "i1": ("Bike lanes make streets safer.", DIALOGUE_SOURCE),
        "i2": ("They slow buses down a lot.", FILE_SOURCE),
    }
    report = [phrase(x) for x in result.losses]
    assert any(r.startswith("kept 1 quote unchecked") and "node a2" in r for r in report)
    assert any(r.startswith("dropped 1 locution that asserts no point") for r in report)


def test_aifdb_nodeset_speakers_come_from_the_l_node_prefix(tmp_path: Path) -> None:
    result = imported("nodeset-speakers.json", tmp_path)
    m = result.valid.argmap
    assert speakers(m) == {"9001": "Priya Shah", "9002": "Priya Shah", "9003": "Dan Cole"}
    assert {s.id: s.quote for s in m.statements()} == {
        "9001": "schools should start later",
        "9002": "teenagers sleep better when school starts later",
        "9003": "buses would have to run at rush hour",
    }


def test_a_dropped_speaker_or_locution_is_never_nothing_lost(tmp_path: Path) -> None:
    doc: dict[str, Any] = {
        "nodes": [
            {"nodeID": "1", "text": "Tax sugar", "type": "I"},
            {"nodeID": "2", "text": "no prefix here", "type": "L"},
            {"nodeID": "3", "text": "Asserting", "type": "YA"},
            {"nodeID": "4", "text": "Someone : never asserted", "type": "L"},
        ],
        "edges": [{"fromID": "2", "toID": "3"}, {"fromID": "3", "toID": "1"}],
        "locutions": [{"nodeID": "2", "personID": 5}],
        "participants": [{"participantID": 9, "firstname": "Quiet", "surname": "Person"}],
    }
    (tmp_path / "f.json").write_text(json.dumps(doc), encoding="utf-8")
    result = import_file(tmp_path / "f.json", tmp_path / "claims.yaml")
    nouns = {x.noun for x in result.losses}
    assert {
        "speaker of a locution",
        "locution that asserts no point",
        "participant who says nothing in the map",
    } <= nouns


def _aifdb(inodes: dict[str, str], schemes: list[tuple[str, str, str]]) -> dict[str, Any]:
    """An AIFdb JSON nodeset as AIFdb publishes it (nodes with nodeID, text, type, timestamp;
    edges with edgeID, fromID, toID, formEdgeID; empty locutions): I-nodes, and each scheme
    (RA or CA) from one I-node to another, or to a scheme node (an undercut)."""
    nodes: list[dict[str, Any]] = [
        {"nodeID": k, "text": t, "type": "I", "timestamp": "2026-03-14 10:00:00"}
        for k, t in inodes.items()
    ]
    edges: list[dict[str, Any]] = []
    for n, (kind, a, b) in enumerate(schemes):
        sid = f"{kind.lower()}{n}"
        text = "Default Conflict" if kind == "CA" else "Default Inference"
        nodes.append({"nodeID": sid, "text": text, "type": kind, "timestamp": ""})
        edges += [
            {"edgeID": f"e{n}a", "fromID": a, "toID": sid, "formEdgeID": None},
            {"edgeID": f"e{n}b", "fromID": sid, "toID": b, "formEdgeID": None},
        ]
    return {"nodes": nodes, "edges": edges, "locutions": []}


def test_plain_aif_rival_theses_stay_claims(tmp_path: Path) -> None:
    """Two theses in conflict both ways (a CA node each way between two I-nodes) are claims that
    rebut each other, not rebuttals; a one-way conflict on one of them is a rebuttal, and an
    RA node's premise evidence. So is a three-way cycle of conflicts among theses."""
    doc = _aifdb(
        {
            "1": "The town should build a heat pump.",
            "2": "The town should put solar panels on the pool's roof.",
            "3": "A heat pump costs less to run.",
            "4": "The pool is used most in winter.",
        },
        [("CA", "1", "2"), ("CA", "2", "1"), ("RA", "3", "1"), ("CA", "4", "2")],
    )
    (tmp_path / "pool.json").write_text(json.dumps(doc), encoding="utf-8")
    result = import_file(tmp_path / "pool.json", tmp_path / "claims.yaml")
    m = result.valid.argmap
    assert [(c.id, c.rebuts) for c in m.claims] == [("1", ["2"]), ("2", ["1"])]
    assert [(r.id, r.rebuts) for r in m.rebuttals] == [("4", ["2"])]
    assert [(e.id, e.supports) for e in m.evidence] == [("3", ["1"])]
    assert result.losses == []
    ev = evaluate(m)  # 4 defeats 2, so 1 stands: rival theses, one of them answered
    assert [ev[k].standing for k in "1234"] == ["stands", "defeated", "stands", "stands"]

    three = _aifdb(
        {"a": "Trams.", "b": "Buses.", "c": "Bicycles.", "r": "Trams are slow."},
        [("CA", "a", "b"), ("CA", "b", "c"), ("CA", "c", "a"), ("CA", "r", "a")],
    )
    (tmp_path / "three.json").write_text(json.dumps(three), encoding="utf-8")
    m3 = import_file(tmp_path / "three.json", tmp_path / "c3.yaml").valid.argmap
    assert [(c.id, c.rebuts) for c in m3.claims] == [("a", ["b"]), ("b", ["c"]), ("c", ["a"])]
    assert [r.id for r in m3.rebuttals] == ["r"]


def test_plain_aif_a_cycle_that_also_attacks_outside_is_rebuttals(tmp_path: Path) -> None:
    """Two rebuttals that answer each other while one also rebuts the thesis are rebuttals (the
    cycle is not closed); a lone one-way conflict is a rebuttal of the thesis."""
    doc = _aifdb(
        {"t": "Close the street.", "x": "Trade will fall.", "y": "Trade rose in Leeds."},
        [("CA", "x", "t"), ("CA", "x", "y"), ("CA", "y", "x")],
    )
    (tmp_path / "f.json").write_text(json.dumps(doc), encoding="utf-8")
    m = import_file(tmp_path / "f.json", tmp_path / "claims.yaml").valid.argmap
    assert [c.id for c in m.claims] == ["t"]
    assert {r.id: r.rebuts for r in m.rebuttals} == {"x": ["t", "y"], "y": ["x"]}


def test_strongly_connected_parts_match_reachability() -> None:
    """`shapes._components` (iterative Tarjan) against mutual reachability, on 2,000 random
    graphs of up to 9 nodes."""
    from argmap.interchange.shapes import _components

    rng = random.Random(17)  # noqa: S311 (test data)
    for _ in range(2000):
        nodes = [str(i) for i in range(rng.randint(1, 9))]
        graph = {a: [b for b in nodes if rng.random() < 0.25] for a in nodes}
        reach = {}
        for a in nodes:
            seen, todo = {a}, [a]
            while todo:
                for b in graph[todo.pop()]:
                    if b not in seen:
                        seen.add(b)
                        todo.append(b)
            reach[a] = seen
        part = _components(graph)
        for a in nodes:
            for b in nodes:
                assert (part[a] == part[b]) == (b in reach[a] and a in reach[b]), graph


def test_kialo_current_export(tmp_path: Path) -> None:
    raw = (HERE / "homework.kialo.txt").read_bytes()
    assert b"\r\n" in raw  # the file is as Kialo writes it
    result = imported("homework.kialo.txt", tmp_path)
    m = result.valid.argmap
    assert m.title == "Should homework be banned in primary schools?"
    found = texts(m)
    assert found["k-1"] == "Homework should be banned in primary schools."
    assert found["k-1-1"] == "Children need time to play after school (see the 2019 survey)."
    assert found["k-1-1-1"] == "Play time is not taken by *ten minutes* of reading."
    assert found["k-1-2-2"] == (
        "Parents end up doing the homework.\nThis is true for younger children above all."
    )
    assert not any("Thesis" in t or "Pro:" in t or "-> See" in t for t in found.values())
    assert "k-1-2-1" not in found  # the link is no point
    assert result.renamed == {}  # Kialo's numbers are argmap's, not names the file gave


def test_kialo_several_theses_under_a_question(tmp_path: Path) -> None:
    m = imported("pool.kialo.txt", tmp_path).valid.argmap
    assert m.question == "How should the town heat its pool?"
    assert {c.id: c.text for c in m.claims} == {
        "k-1-1": "With a heat pump.",
        "k-1-2": "With solar panels on the roof.",
    }
    assert [(e.id, e.supports) for e in m.evidence] == [("k-1-1-1", ["k-1-1"])]
    # `1.1.2. Con: -> See 1.2.1.`: 1.2.1 backs 1.2 and rebuts 1.1 (a point may do both)
    assert [(r.id, r.rebuts, r.supports) for r in m.rebuttals] == [
        ("k-1-2-1", ["k-1-1"], ["k-1-2"]),
        ("k-1-2-2", ["k-1-2"], None),
    ]


def _kialo(text: str, tmp: Path) -> Imported:
    (tmp / "d.txt").write_text(text, encoding="utf-8", newline="\r\n")
    return import_file(tmp / "d.txt", tmp / "claims.yaml")


def test_kialo_links_to_theses_are_rival_theses(tmp_path: Path) -> None:
    """A Con link to another thesis under the question (`-> See 1.2.`) makes that thesis rebut
    this one, and both stay claims: rival theses that answer each other are a cycle, both
    undecided, and the map's positions say which can stand. Only the link to the question and
    the link of a thesis to itself are reported."""
    result = _kialo(
        "Discussion Name:\nHow should the town heat its pool?\n\n"
        "1. Question:\nHow should the town heat its pool?\n\n"
        "1.1. Thesis:\nWith a heat pump.\n\n1.1.1. Con:\n-> See 1.2.\n\n"
        "1.1.2. Con:\n-> See 1.1.\n\n"
        "1.2. Thesis:\nWith solar panels on the roof.\n\n1.2.1. Con:\n-> See 1.1.\n\n"
        "1.2.2. Pro:\nSolar heat is free.\n\n1.2.2.1. Con:\n-> See 1.\n",
        tmp_path,
    )
    m = result.valid.argmap
    assert [(c.id, c.rebuts) for c in m.claims] == [("k-1-1", ["k-1-2"]), ("k-1-2", ["k-1-1"])]
    assert [(e.id, e.supports) for e in m.evidence] == [("k-1-2-2", ["k-1-2"])]
    assert m.rebuttals == []
    assert sorted(x.noun for x in result.losses) == ["attack", "link to the question"]
    ev = evaluate(m)
    assert {k: ev[k].standing for k in ("k-1-1", "k-1-2")} == dict.fromkeys(
        ("k-1-1", "k-1-2"), "undecided"
    )
    assert ev.positions.acceptance("k-1-1", "undecided") == (True, False)


def test_kialo_a_link_to_the_thesis_keeps_it_a_claim(tmp_path: Path) -> None:
    """`1.2.1. Con: -> See 1.`: the thesis answers a Con of its own (it rebuts it) and is still
    the map's claim (it was dropped and reported before); a Pro link to it makes it support
    the point it is linked under."""
    result = _kialo(
        "Discussion Title: Is the old town worth saving?\n\n"
        "1. Thesis: The old town should be restored, not rebuilt.\n"
        "1.1. Pro: Tourists come for the old streets.\n"
        "1.2. Con: Restoring costs twice as much as rebuilding.\n"
        "1.2.1. Con:\n-> See 1.\n"
        "1.3. Con: The streets are too narrow for buses.\n"
        "1.3.1. Con: Tourists walk.\n1.3.1.1. Pro:\n-> See 1.\n",
        tmp_path,
    )
    m = result.valid.argmap
    assert [(c.id, c.rebuts, c.supports) for c in m.claims] == [("k-1", ["k-1-2"], ["k-1-3-1"])]
    assert result.losses == []
    # (the thesis and its Con now answer each other: a cycle, both undecided)
    ev = evaluate(m)
    assert (ev["k-1"].standing, ev["k-1-2"].standing) == ("undecided", "undecided")


def test_kialo_older_export_links_become_relations(tmp_path: Path) -> None:
    result = imported("old-town.kialo.txt", tmp_path)
    m = result.valid.argmap
    assert m.title == "Is the old town worth saving?"
    found = texts(m)
    assert found["k-1"] == "The old town should be restored, not rebuilt."
    assert found["k-1-1"] == "Tourists come for the old streets (and the market)."
    assert found["k-1-2-1"] == "The 2021 estimate says so [p. 4]."
    # `1.1.1. Con: -> See 1.2.` on a line of its own: 1.2 rebuts 1.1 as well as the thesis.
    assert {r.id: r.rebuts for r in m.rebuttals} == {"k-1-2": ["k-1", "k-1-1"]}
    assert len(found) == 4 and result.losses == []


def test_argdown_comments_anywhere(tmp_path: Path) -> None:
    result = imported("comments.argdown", tmp_path)
    m = result.valid.argmap
    assert {r.id: r.rebuts for r in m.rebuttals} == {"cost": ["sleep"], "slow": ["night-trains"]}
    assert [(e.id, e.supports) for e in m.evidence] == [("sleep", ["night-trains"])]
    assert result.losses == []


def test_argdown_relations_under_premises_are_skipped_by_line(tmp_path: Path) -> None:
    result = imported("pcs-relations.argdown", tmp_path)
    m = result.valid.argmap
    assert [c.id for c in m.claims] == ["ban"]
    assert [(e.id, e.supports) for e in m.evidence] == [("health", ["ban"])]
    skipped = next(x for x in result.losses if x.noun == "relation under a premise or conclusion")
    assert [p.line for p in skipped.places] == [9, 13]


def test_argdown_lines_the_parser_refuses_are_reported(tmp_path: Path) -> None:
    result = imported("refused.argdown", tmp_path)
    refused = [x for x in result.losses if x.noun == "line the Argdown parser refuses"]
    assert sorted(p.line for x in refused for p in x.places if p.line) == [2, 3, 4, 6]


def _argdown_refuses(path: Path, tmp: Path) -> bool:
    problem = argdown_problem()
    if problem is not None:
        pytest.skip(problem)
    done = subprocess.run(
        [str(ARGDOWN_CLI), "json", str(path), str(tmp)],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    return "syntax error" in (done.stdout + done.stderr).lower()


@pytest.mark.argdown
@pytest.mark.parametrize(
    ("name", "refuses"),
    [("comments.argdown", False), ("pcs-relations.argdown", False), ("refused.argdown", True)],
)
def test_the_argdown_parser_agrees(name: str, refuses: bool, tmp_path: Path) -> None:
    """What the real parser reads, argmap imports without a warning; what it refuses, argmap
    imports with the lines it would refuse named."""
    assert _argdown_refuses(HERE / name, tmp_path / "out") == refuses
    warned = any(
        x.noun == "line the Argdown parser refuses" for x in imported(name, tmp_path).losses
    )
    assert warned == refuses


_WORDS = ["tax", "sugar", "health", "cost", "jobs", "schools", "trains", "sleep", "rain", "cars"]
_ARROWS = ["+>", "->", "<+", "<-", "_>", "<_", "><", "+", "-"]
_COMMENTS = ["// a note", "<!-- a note -->", "/* a note */", "<!--\n  two\n-->", "/*\n x\n*/"]


def _plausible_argdown(seed: int) -> str:
    """Argdown as people write it: maps of statements and arguments with relation trees,
    comments anywhere, now and then a premise-conclusion structure with a relation under a
    premise; random, so that some break Argdown's rules."""
    r = random.Random(seed)  # noqa: S311 - test data, not secrets

    def words() -> str:
        return " ".join(r.choice(_WORDS) for _ in range(r.randint(1, 5)))

    def element() -> str:
        name, kind = f"T{r.randint(0, 6)}", r.random()
        if kind < 0.45:
            return f"[{name}]: {words().capitalize()}." if r.random() < 0.7 else f"[{name}]"
        if kind < 0.9:
            return f"<{name}>: {words().capitalize()}." if r.random() < 0.7 else f"<{name}>"
        return words().capitalize() + "."

    out: list[str] = []
    for block in range(r.randint(1, 4)):
        if block:
            out.append("")
        if r.random() < 0.15:
            under = f"    <- [Q{block}]: {words()}" if r.random() < 0.5 else f"(2) {words()}"
            out += ["<P>", "", f"(1) [P1]: {words()}", under, "----", f"(3) {words()}"]
            continue
        out.append(element())
        depth = 0
        for _ in range(r.randint(0, 5)):
            if r.random() < 0.2:
                comment = r.choice(_COMMENTS)
                out.append("  " * max(depth, 1) + comment if r.random() < 0.5 else comment)
            depth = r.randint(1, depth + 1)
            out.append("  " * depth + r.choice(_ARROWS) + " " + element())
    return "\n".join(out) + "\n"


@pytest.mark.argdown
def test_what_the_argdown_parser_reads_imports_and_what_it_refuses_is_mostly_named(
    tmp_path: Path,
) -> None:
    """200 plausible files, judged by the real parser in one run: every file it reads imports
    without a warning (never a failed import); of those it refuses, argmap names a line it
    would refuse in most (measured: 56 of 60; the rest are premise-conclusion rules argmap
    does not read)."""
    problem = argdown_problem()
    if problem is not None:
        pytest.skip(problem)
    folder = tmp_path / "in"
    folder.mkdir()
    for n in range(200):
        (folder / f"f{n}.argdown").write_text(_plausible_argdown(n), encoding="utf-8")
    subprocess.run(
        [str(ARGDOWN_CLI), "json", str(folder / "*.argdown"), str(tmp_path / "out")],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    read = {p.stem for p in (tmp_path / "out").glob("*.json")}
    assert 50 <= len(read) <= 190  # the sample holds both kinds
    silent = 0
    for path in sorted(folder.iterdir()):
        if path.stem in read:
            result = import_file(path, tmp_path / "claims.yaml")  # never BadInput
            assert not any(x.noun == "line the Argdown parser refuses" for x in result.losses)
            continue
        try:
            result = import_file(path, tmp_path / "claims.yaml")
        except BadInput:
            continue
        silent += not any(x.noun == "line the Argdown parser refuses" for x in result.losses)
    assert silent <= (200 - len(read)) // 5
