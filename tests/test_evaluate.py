"""Tests for argmap.evaluate: hand-worked labellings, reasons, and a brute-force property check."""

from __future__ import annotations

import itertools
from typing import Any, Final

from hypothesis import given, settings
from hypothesis import strategies as st

from argmap.evaluate import Evaluation, Reason, evaluate, grounded
from argmap.evaluate.reasons import quoting, words
from argmap.model import ArgMap, Standing

IN: Final[Standing] = "stands"
OUT: Final[Standing] = "defeated"
UNDEC: Final[Standing] = "undecided"


# --- grounded: hand-worked cases -------------------------------------------------------------


def test_no_attacks_everything_stands() -> None:
    assert grounded(["a", "b", "c"], []) == {"a": IN, "b": IN, "c": IN}


def test_empty_graph() -> None:
    assert grounded([], []) == {}


def test_single_attack() -> None:
    assert grounded(["a", "b"], [("b", "a")]) == {"a": OUT, "b": IN}


def test_reinstatement_chain_of_three() -> None:
    assert grounded(["a", "b", "c"], [("b", "a"), ("c", "b")]) == {"a": IN, "b": OUT, "c": IN}


def test_chain_of_four() -> None:
    attacks = [("b", "a"), ("c", "b"), ("d", "c")]
    assert grounded(["a", "b", "c", "d"], attacks) == {"a": OUT, "b": IN, "c": OUT, "d": IN}


def test_even_cycle_is_undecided() -> None:
    assert grounded(["a", "b"], [("a", "b"), ("b", "a")]) == {"a": UNDEC, "b": UNDEC}


def test_odd_cycle_is_undecided() -> None:
    attacks = [("a", "b"), ("b", "c"), ("c", "a")]
    assert grounded(["a", "b", "c"], attacks) == {"a": UNDEC, "b": UNDEC, "c": UNDEC}


def test_cycle_broken_by_a_standing_attacker() -> None:
    # x defeats a, which reinstates b; c is attacked only by b, so falls.
    attacks = [("a", "b"), ("b", "a"), ("x", "a"), ("b", "c")]
    assert grounded(["a", "b", "c", "x"], attacks) == {"a": OUT, "b": IN, "c": OUT, "x": IN}


def test_defeated_plus_undecided_attacker_is_undecided() -> None:
    # t is attacked by d (defeated by k) and by u (in a 2-cycle with v).
    attacks = [("d", "t"), ("k", "d"), ("u", "t"), ("u", "v"), ("v", "u")]
    result = grounded(["t", "d", "k", "u", "v"], attacks)
    assert result == {"t": UNDEC, "d": OUT, "k": IN, "u": UNDEC, "v": UNDEC}


def test_defeated_plus_standing_attacker_is_defeated() -> None:
    attacks = [("d", "t"), ("k", "d"), ("s", "t")]
    assert grounded(["t", "d", "k", "s"], attacks) == {"t": OUT, "d": OUT, "k": IN, "s": IN}


def test_attacker_with_several_targets() -> None:
    attacks = [("r", "a"), ("r", "b"), ("r", "c"), ("q", "r"), ("p", "q")]
    result = grounded(["a", "b", "c", "r", "q", "p"], attacks)
    assert result == {"a": OUT, "b": OUT, "c": OUT, "r": IN, "q": OUT, "p": IN}
    # Without p, q stands, so r falls and all three of its targets are reinstated.
    result = grounded(["a", "b", "c", "r", "q"], attacks)
    assert result == {"a": IN, "b": IN, "c": IN, "r": OUT, "q": IN}


def test_unknown_ends_and_duplicates_are_ignored() -> None:
    attacks = [("ghost", "a"), ("a", "ghost"), ("b", "a"), ("b", "a")]
    assert grounded(["a", "b"], attacks) == {"a": OUT, "b": IN}


def test_result_follows_node_order() -> None:
    assert list(grounded(["c", "a", "b"], [("a", "b")])) == ["c", "a", "b"]


# --- grounded against the definition ----------------------------------------------------------

LABELS: tuple[Standing, ...] = (IN, OUT, UNDEC)


Graph = tuple[list[str], set[tuple[str, str]]]


def complete_labellings(
    nodes: list[str], attacks: set[tuple[str, str]]
) -> list[dict[str, Standing]]:
    """Every labelling with IN iff all attackers OUT, OUT iff some attacker IN, else UNDEC."""
    attackers = {n: [a for a, t in attacks if t == n] for n in nodes}
    found = []
    for combo in itertools.product(LABELS, repeat=len(nodes)):
        label = dict(zip(nodes, combo, strict=True))
        if all(
            (label[n] == IN) == all(label[a] == OUT for a in attackers[n])
            and (label[n] == OUT) == any(label[a] == IN for a in attackers[n])
            for n in nodes
        ):
            found.append(label)
    return found


@st.composite
def graphs(draw: st.DrawFn) -> Graph:
    nodes = [f"n{i}" for i in range(draw(st.integers(0, 7)))]
    pairs = list(itertools.product(nodes, nodes))
    attacks = draw(st.sets(st.sampled_from(pairs), max_size=20)) if pairs else set()
    return nodes, attacks


@settings(max_examples=150, deadline=None)
@given(graphs())
def test_grounded_is_the_least_complete_labelling(graph: Graph) -> None:
    nodes, attacks = graph
    result = grounded(nodes, sorted(attacks))
    complete = complete_labellings(nodes, attacks)
    assert result in complete
    ins = {n for n in nodes if result[n] == IN}
    for other in complete:  # least IN set under inclusion, hence unique with fewest IN
        assert ins <= {n for n in nodes if other[n] == IN}
        assert other == result or sum(v == IN for v in other.values()) > len(ins)


# --- evaluate ---------------------------------------------------------------------------------


def make_map(**parts: Any) -> ArgMap:
    return ArgMap.model_validate({"title": "T", **parts})


def claim(id_: str) -> dict[str, Any]:
    return {"id": id_, "text": f"Claim {id_}."}


def rebut(id_: str, *targets: str) -> dict[str, Any]:
    return {"id": id_, "rebuts": list(targets), "text": f"Rebuttal {id_}."}


def evid(id_: str, *targets: str) -> dict[str, Any]:
    return {"id": id_, "supports": list(targets), "text": f"Evidence {id_}."}


def test_evaluate_small_map() -> None:
    argmap = make_map(
        claims=[claim("replaces-all"), claim("other")],
        rebuttals=[
            rebut("growing-ecosystem", "replaces-all"),
            rebut("weak", "replaces-all"),
            rebut("counter", "weak"),
        ],
        evidence=[evid("symantec", "growing-ecosystem", "other"), evid("ca", "growing-ecosystem")],
    )
    ev = evaluate(argmap)
    assert list(ev.verdicts) == [
        "replaces-all",
        "other",
        "growing-ecosystem",
        "weak",
        "counter",
        "symantec",
        "ca",
    ]
    top = ev["replaces-all"]
    assert top.standing == OUT
    assert top.rebutted_by == ("growing-ecosystem", "weak")
    assert top.defeated_by == ("growing-ecosystem",)
    assert top.supported_by == ()
    assert words(top.reason, str) == "Defeated by growing-ecosystem, which stands."
    assert ev["growing-ecosystem"].supported_by == ("symantec", "ca")
    assert ev["other"].supported_by == ("symantec",)
    assert ev["weak"].defeated_by == ("counter",)
    assert ev["symantec"].standing == IN and ev["symantec"].rebutted_by == ()
    assert ev.counts() == {IN: 5, OUT: 2, UNDEC: 0}


def test_unattacked_evidence_stands_and_support_changes_nothing() -> None:
    ev = evaluate(
        make_map(claims=[claim("c")], rebuttals=[rebut("r", "c")], evidence=[evid("e", "c")])
    )
    assert ev["e"].standing == IN
    assert words(ev["e"].reason, str) == "Stands: no rebuttal against it."
    assert ev["c"].standing == OUT and ev["c"].supported_by == ("e",)


def test_attack_on_evidence() -> None:
    ev = evaluate(
        make_map(claims=[claim("c")], rebuttals=[rebut("doubt", "e")], evidence=[evid("e", "c")])
    )
    assert ev["e"].standing == OUT and ev["e"].defeated_by == ("doubt",)
    assert ev["c"].standing == IN and ev["c"].supported_by == ("e",)


def test_rebuttal_with_several_targets() -> None:
    ev = evaluate(make_map(claims=[claim("a"), claim("b")], rebuttals=[rebut("r", "a", "b")]))
    assert ev["a"].defeated_by == ev["b"].defeated_by == ("r",)
    assert ev.counts() == {IN: 1, OUT: 2, UNDEC: 0}


def test_counts_has_all_keys() -> None:
    assert evaluate(make_map(claims=[claim("a")])).counts() == {IN: 1, OUT: 0, UNDEC: 0}
    assert Evaluation({}).counts() == {IN: 0, OUT: 0, UNDEC: 0}


def test_reasons_name_the_right_ids() -> None:
    ev = evaluate(
        make_map(
            claims=[claim("a"), claim("t"), claim("z")],
            rebuttals=[
                rebut("b", "a"),
                rebut("c", "b"),
                rebut("d", "b"),
                rebut("x", "y", "t"),
                rebut("y", "x"),
                rebut("p", "z"),
                rebut("q", "z"),
            ],
        )
    )
    assert words(ev["a"].reason, str) == "Stands: every rebuttal against it is defeated (b)."
    bare = " — challenged only by unsupported denials (no evidence, source or quote)."
    assert words(ev["b"].reason, str) == "Defeated by c and d, which stand" + bare
    assert words(ev["c"].reason, str) == "Stands: no rebuttal against it."
    assert words(ev["x"].reason, str) == "Undecided: caught in a cycle of rebuttals (x → y → x)."
    assert words(ev["y"].reason, str) == "Undecided: caught in a cycle of rebuttals (y → x → y)."
    assert words(ev["t"].reason, str) == "Undecided: attacked by x, which is itself undecided."
    assert words(ev["z"].reason, str) == "Defeated by p and q, which stand" + bare
    assert ev["z"].reason == Reason("defeated-by", ("p", "q"), unsupported=True)
    assert ev["z"].fell == "unsupported"
    assert ev["x"].reason == Reason("cycle", ("x", "y"))
    assert ev["t"].reason == Reason("attacked-by-undecided", ("x",))
    assert ev["a"].reason == Reason("rebuttals-defeated", ("b",))
    assert ev["c"].reason == Reason("unchallenged")


def test_reasons_in_words_name_points_by_their_text_even_when_ids_are_words() -> None:
    """Ids that are English words ('which', 'stands') stay out of the words: each point is
    named by its quoted short text, and a long list is cut, with a count of the rest."""
    long = "A first answer that is rather long, longer than the seventy-two characters shown."
    m = make_map(
        claims=[{"id": "stands", "text": "The claim."}],
        rebuttals=[
            {"id": "which", "text": long, "rebuts": ["stands"]},
            *[rebut(f"r{n}", "stands") for n in range(10)],
        ],
    )
    ev = evaluate(m)
    said = words(ev["stands"].reason, quoting({s.id: s.text for s in m.statements()}))
    assert said == (
        "Defeated by “A first answer that is rather long, longer than the seventy-two…”, "
        "“Rebuttal r0”, “Rebuttal r1”, “Rebuttal r2”, “Rebuttal r3”, “Rebuttal r4”, "
        "“Rebuttal r5”, “Rebuttal r6”, … 2 more … and “Rebuttal r9”, which stand — "
        "challenged only by unsupported denials (no evidence, source or quote)."
    ), said
    assert "which" not in said.replace("which stand —", "")
    assert ev["stands"].reason.ids == ("which", *[f"r{n}" for n in range(10)])


def test_reason_for_three_cycle_and_several_undecided_attackers() -> None:
    ev = evaluate(
        make_map(
            claims=[claim("t")],
            rebuttals=[
                rebut("a", "b", "t"),
                rebut("b", "c"),
                rebut("c", "a", "t"),
                rebut("k", "m"),
                rebut("m", "t"),
            ],
        )
    )
    assert (
        words(ev["a"].reason, str) == "Undecided: caught in a cycle of rebuttals (a → b → c → a)."
    )
    assert (
        words(ev["b"].reason, str) == "Undecided: caught in a cycle of rebuttals (b → c → a → b)."
    )
    assert ev["t"].standing == UNDEC
    assert ev["t"].rebutted_by == ("a", "c", "m")
    assert ev["t"].defeated_by == ()
    assert (
        words(ev["t"].reason, str)
        == "Undecided: attacked by a and c, which are themselves undecided."
    )
    assert words(ev["m"].reason, str) == (
        "Defeated by k, which stands — challenged only by an unsupported denial "
        "(no evidence, source or quote)."
    )
