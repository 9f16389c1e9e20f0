"""`argmap import` and the interchange formats of `argmap export`, through the real command
line: what is written, what is printed, the exit codes; and ICCMA's attack graphs, read back,
give the standings argmap computes."""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path

import pytest

from argmap.evaluate import evaluate, grounded
from argmap.pipeline import check
from tests.conftest import run_argmap

ROOT = Path(__file__).resolve().parent.parent
FOREIGN = Path(__file__).resolve().parent / "interchange"


def argmap(*args: str | Path, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    """`argmap ARGS` in `cwd` (in this process: `tests.conftest.run_argmap`)."""
    return run_argmap(*args, cwd=cwd or Path.cwd())


def test_import_writes_a_checked_map_and_reports_its_losses(tmp_path: Path) -> None:
    out = tmp_path / "claims.yaml"
    done = argmap("import", FOREIGN / "aifdb-locutions.json", "-o", out)
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert lines[0].startswith(f"wrote {out}: 2 claims, 2 rebuttals, 3 evidence, 2 speakers")
    assert "not carried over (3 kinds of loss):" in lines
    expected = (FOREIGN / "aifdb-locutions.json.expected.txt").read_text(encoding="utf-8")
    assert [ln.strip() for ln in lines if ln.startswith("  ")] == expected.splitlines()
    assert "ids made from 2 names: Ann Lee → ann-lee, Bob Ray → bob-ray" in lines
    text = out.read_text(encoding="utf-8")
    assert text.startswith("# Imported by `argmap import` from aifdb-locutions.json (AIF")
    checked = argmap("check", out)
    assert checked.returncode == 0, checked.stderr
    assert "valid" in checked.stdout


def test_import_never_overwrites_without_force(tmp_path: Path) -> None:
    out = tmp_path / "claims.yaml"
    out.write_text("mine\n", encoding="utf-8")
    done = argmap("import", FOREIGN / "debate.kialo.txt", "-o", out)
    assert done.returncode == 2
    assert "already exists" in done.stderr and "--force" in done.stderr
    assert out.read_text(encoding="utf-8") == "mine\n"
    forced = argmap("import", FOREIGN / "debate.kialo.txt", "-o", out, "--force")
    assert forced.returncode == 0, forced.stderr
    assert "k-1-3-1" in out.read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("name", "text", "fmt", "message"),
    [
        (
            "bad.json",
            '{"nodes": [\n  {"nodeID": 1,',
            None,
            r"^bad\.json:2:\d+: error: not valid JSON",
        ),
        (
            "edge.json",
            '{"nodes": [{"nodeID": "1", "text": "a", "type": "I"}], '
            '"edges": [{"edgeID": "e1", "fromID": "1", "toID": "7"}]}',
            "aif",
            r"^edge\.json: node 7: error: edge e1 names node 7, which is not in `nodes`$",
        ),
        ("x.argdown", "[a]: b\n\n  -> [c]\n", None, r"^x\.argdown:3:3: error: the relation `->`"),
        ("x.txt", "1. a\n1.1.1. Pro: b\n", "kialo", r"^x\.txt:2:1: error: 1\.1\.1\. comes before"),
    ],
)
def test_bad_input_exits_1_with_places(
    tmp_path: Path, name: str, text: str, fmt: str | None, message: str
) -> None:
    (tmp_path / name).write_text(text, encoding="utf-8")
    done = argmap("import", name, *(["--from", fmt] if fmt else []), cwd=tmp_path)
    assert done.returncode == 1
    first = done.stderr.splitlines()[0]
    assert re.search(message, first), done.stderr
    assert not (tmp_path / "claims.yaml").exists()


def test_a_format_that_cannot_be_told_is_a_usage_error(tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("just some notes\n", encoding="utf-8")
    done = argmap("import", "notes.txt", cwd=tmp_path)
    assert done.returncode == 2
    assert "--from" in done.stderr


@pytest.mark.parametrize("fmt", ["argdown", "aif", "xaif"])
def test_export_then_import_gives_the_same_map(tmp_path: Path, fmt: str) -> None:
    exported = tmp_path / f"seed.{fmt}"
    done = argmap("export", ROOT / "claims.yaml", "--format", fmt, "-o", exported)
    assert done.returncode == 0, done.stderr
    (tmp_path / "sources").mkdir()
    source = ROOT / "sources" / "virtualization-spat.txt"
    (tmp_path / "sources" / source.name).write_bytes(source.read_bytes())
    back = tmp_path / "claims.yaml"
    imported = argmap("import", exported, "-o", back, "--from", fmt)
    assert imported.returncode == 0, imported.stderr
    assert "nothing was lost" in imported.stdout
    assert check(back).argmap == check(ROOT / "claims.yaml").argmap


def _attacks_i23(text: str) -> tuple[list[str], list[tuple[str, str]]]:
    lines = text.splitlines()
    header = re.fullmatch(r"p af (\d+)", lines[0])
    assert header is not None
    names = dict(re.findall(r"^# (\d+) (\S+)$", text, re.M))
    assert len(names) == int(header.group(1))
    pairs = [ln.split() for ln in lines[1:] if not ln.startswith("#")]
    return list(names.values()), [(names[a], names[b]) for a, b in pairs]


def _attacks_apx(text: str) -> tuple[list[str], list[tuple[str, str]]]:
    back = dict(re.findall(r"^% (\S+) = (\S+)$", text, re.M))
    args = [back.get(a, a) for a in re.findall(r"^arg\(([^)]+)\)\.$", text, re.M)]
    atts = [
        (back.get(a, a), back.get(b, b))
        for a, b in re.findall(r"^att\(([^,]+),([^)]+)\)\.$", text, re.M)
    ]
    return args, atts


def _attacks_tgf(text: str) -> tuple[list[str], list[tuple[str, str]]]:
    nodes, _, edges = text.partition("\n#\n")
    names = dict(ln.split(" ", 1) for ln in nodes.splitlines())
    return list(names.values()), [
        (names[a], names[b]) for a, b in (ln.split() for ln in edges.splitlines())
    ]


@pytest.mark.parametrize("fmt", ["i23", "apx", "tgf"])
@pytest.mark.parametrize("case", ["seed", "cycles", "reinstatement", "escaping"])
def test_iccma_graphs_give_argmaps_standings(fmt: str, case: str) -> None:
    path = (
        ROOT / "claims.yaml" if case == "seed" else ROOT / "tests" / "cases" / case / "claims.yaml"
    )
    done = argmap("export", path, "--format", fmt, "-o", "-")
    assert done.returncode == 0, done.stderr
    parse = {"i23": _attacks_i23, "apx": _attacks_apx, "tgf": _attacks_tgf}[fmt]
    nodes, attacks = parse(done.stdout)
    m = check(path).argmap
    assert nodes == [s.id for s in m.statements()]
    assert attacks == [(r.id, t) for r in m.rebuttals for t in r.rebuts]
    ev = evaluate(m)
    assert grounded(nodes, attacks) == {k: v.standing for k, v in ev.verdicts.items()}


def test_apx_names_are_atoms_and_mapped_back() -> None:
    from argmap.interchange.iccma import apx_names

    ids = ["a-b", "007", "n007", "a--b", "ok", "x"]
    names = apx_names(ids)
    assert len(set(names.values())) == len(ids)
    assert all(re.fullmatch(r"[a-z][a-zA-Z0-9_]*", n) for n in names.values())


def test_aif_export_is_aifdb_shaped() -> None:
    done = argmap("export", ROOT / "claims.yaml", "--format", "aif", "-o", "-")
    doc = json.loads(done.stdout)
    m = check(ROOT / "claims.yaml").argmap
    types = {n["nodeID"]: n["type"] for n in doc["nodes"]}
    assert [n for n, t in types.items() if t == "I"] == [s.id for s in m.statements()]
    assert sum(t == "CA" for t in types.values()) == sum(len(r.rebuts) for r in m.rebuttals)
    assert sum(t == "RA" for t in types.values()) == sum(len(e.supports) for e in m.evidence)
    said = [s for s in m.statements() if s.by or s.quote]
    assert sum(t == "L" for t in types.values()) == len(said)
    assert sum(t == "YA" for t in types.values()) == len(said)
    assert len(doc["locutions"]) == sum(1 for s in said if s.by)
    for e in doc["edges"]:
        assert e["fromID"] in types and e["toID"] in types


def test_text_that_is_not_utf8_is_named_at_its_byte(tmp_path: Path) -> None:
    (tmp_path / "latin1.argdown").write_bytes(b"[a]: caf\xe9\n")
    done = argmap("import", "latin1.argdown", cwd=tmp_path)
    assert done.returncode == 1
    assert done.stderr.startswith("latin1.argdown:1:9: error: the file is not UTF-8 text")
    assert not (tmp_path / "claims.yaml").exists()


def test_import_to_standard_output_keeps_the_report_apart(tmp_path: Path) -> None:
    done = argmap("import", FOREIGN / "pool.kialo.txt", "-o", "-", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("# Imported by `argmap import` from pool.kialo.txt")
    assert "not carried over (1 kind of loss):" in done.stderr
    (tmp_path / "m.yaml").write_text(done.stdout, encoding="utf-8")
    assert argmap("check", "m.yaml", cwd=tmp_path).returncode == 0
    assert not (tmp_path / "claims.yaml").exists()


def test_import_never_writes_over_the_file_it_reads(tmp_path: Path) -> None:
    source = tmp_path / "debate.txt"
    source.write_bytes((FOREIGN / "debate.kialo.txt").read_bytes())
    done = argmap("import", source, "-o", source, "--force", "--from", "kialo")
    assert done.returncode == 2
    assert "never writes over its inputs" in done.stderr
    assert source.read_bytes() == (FOREIGN / "debate.kialo.txt").read_bytes()


def test_the_export_schema_is_written_and_rewritten_but_no_other_file(tmp_path: Path) -> None:
    target = tmp_path / "argmap.schema.json"
    assert argmap("schema", "--export", "-o", target).returncode == 0
    assert argmap("schema", "--export", "-o", target).returncode == 0
    assert json.loads(target.read_text(encoding="utf-8"))["$id"] == "urn:argmap:export:argmap-1"
    other = tmp_path / "claims.schema.json"
    assert argmap("schema", "-o", other).returncode == 0
    assert argmap("schema", "--export", "-o", other).returncode == 2


def test_xaif_export_is_xaif_shaped_and_its_text_holds_every_quote() -> None:
    """The published xAIF shape: the AIF graph under `AIF` (with `schemefulfillments` and
    `descriptorfulfillments`), the text it was drawn from as `text`: here the sources'."""
    done = argmap("export", ROOT / "claims.yaml", "--format", "xaif", "-o", "-")
    assert done.returncode == 0, done.stderr
    doc = json.loads(done.stdout)
    aif = json.loads(argmap("export", ROOT / "claims.yaml", "--format", "aif", "-o", "-").stdout)
    graph = doc["AIF"]
    assert {k: graph[k] for k in ("nodes", "edges", "locutions", "participants")} == {
        k: aif[k] for k in ("nodes", "edges", "locutions", "participants")
    }
    assert graph["schemefulfillments"] == [] and graph["descriptorfulfillments"] == []
    assert doc["argmap"] == aif["argmap"]
    source = (ROOT / "sources" / "virtualization-spat.txt").read_text(encoding="utf-8")
    assert doc["text"] == source
    m = check(ROOT / "claims.yaml").argmap
    assert all(s.quote in source for s in m.statements() if s.quote)


def test_xaif_import_writes_the_dialogue_beside_the_map(tmp_path: Path) -> None:
    done = argmap("import", FOREIGN / "sundays.xaif.json", "-o", "claims.yaml", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "sources" / "sundays-xaif.txt").is_file()
    assert argmap("check", "claims.yaml", cwd=tmp_path).returncode == 0
    # To standard output nothing is written beside: the quotes keep no checked source.
    alone = tmp_path / "alone"
    alone.mkdir()
    done = argmap("import", FOREIGN / "sundays.xaif.json", "-o", "-", cwd=alone)
    assert done.returncode == 0, done.stderr
    assert "dropped 1 text of the dialogue: with -o - nothing is written" in done.stderr
    assert list(alone.iterdir()) == []
