"""Maps in notebooks: a real notebook executed by a real Jupyter kernel (nbclient + ipykernel),
its outputs read back: the rich display is the bottom line and the diagram, self-contained,
and the plain data are the standings and pivotal points argmap works out."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest

nbformat = pytest.importorskip("nbformat", reason="needs the dev extra: pip install -e '.[dev]'")
nbclient = pytest.importorskip("nbclient", reason="needs the dev extra: pip install -e '.[dev]'")
pytest.importorskip("ipykernel", reason="needs the notebook extra: pip install -e '.[notebook]'")

from argmap.evaluate import evaluate  # noqa: E402
from argmap.evaluate.pivotal import analyse  # noqa: E402
from argmap.pipeline import check  # noqa: E402
from tests.conftest import REPO  # noqa: E402

pytestmark = pytest.mark.needs_dot

CELLS = [
    "import json\nimport argmap.notebook as an\nm = an.open('claims.yaml')\nm",
    "print(json.dumps({'standings': m.standings, 'pivotal': m.pivotal, 'claims': m.claims}))",
    "m.claim('partners-put-off')",
    "try:\n    an.open('broken.yaml')\nexcept an.MapErrors as e:\n    print(e)",
]


def run_notebook(folder: Path) -> list[list[dict[str, Any]]]:
    notebook = nbformat.v4.new_notebook()
    notebook.cells = [nbformat.v4.new_code_cell(source) for source in CELLS]
    client = nbclient.NotebookClient(
        notebook, timeout=300, kernel_name="python3", resources={"metadata": {"path": str(folder)}}
    )
    client.execute()
    # The notebook as saved and read back, as a user's would be.
    saved = nbformat.reads(nbformat.writes(notebook), as_version=4)
    return [list(cell.outputs) for cell in saved.cells]


def test_a_notebook_shows_the_bottom_line_and_the_diagram(tmp_path: Path) -> None:
    shutil.copy(REPO / "claims.yaml", tmp_path / "claims.yaml")
    shutil.copytree(REPO / "sources", tmp_path / "sources")
    (tmp_path / "broken.yaml").write_text("title: x\nclaims:\n  - id: a\n    txt: A.\n")
    display, data, one, broken = run_notebook(tmp_path)

    html = display[0]["data"]["text/html"]
    assert "Of the 5 claims by Simon Crosby (XenSource), 4 are refuted and 1 still stands." in html
    assert "The outcome hangs on 3 points" in html
    assert html.count("<svg") == 1 and "</svg>" in html
    # Self-contained: nothing to run, nothing to fetch.
    assert "<script" not in html and " src=" not in html and "@import" not in html
    assert display[0]["data"]["text/plain"].startswith("<argmap 'The virtualization spat'")

    valid = check(tmp_path / "claims.yaml")
    evaluation = evaluate(valid.argmap)
    pivotal = analyse(valid.argmap)
    got = json.loads(data[0]["text"])
    assert got["standings"] == {i: v.standing for i, v in evaluation.verdicts.items()}
    assert got["pivotal"] == {
        c.id: [p.point for p in pivotal.points.get(c.id, ())] for c in valid.argmap.claims
    }
    assert [c["standing"] for c in got["claims"]] == [
        evaluation[c.id].standing for c in valid.argmap.claims
    ]
    assert got["claims"][0]["pivotal"] == ["growing-ecosystem"]

    claim_html = one[0]["data"]["text/html"]
    assert "partners off” is defeated by" in claim_html
    assert "Of the 5 claims" not in claim_html and "<svg" in claim_html

    assert "broken.yaml:4:5: error:" in broken[0]["text"]
