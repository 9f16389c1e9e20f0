"""`argmap new`: a starter map that shows every field once, with a comment on each.

Beside the map it writes the small source text its quotes come from (so every quote checks out)
and, when there is none yet, `claims.schema.json` (so an editor can help from the first line).
The starter passes `argmap check --strict`; a test holds it to that.

`argmap new DIR` makes the map's own folder: DIR/claims.yaml, DIR/sources/, the schema and a
.gitignore that keeps DIR/out/ (the outputs and their cache) out of git. `next_steps` says what
to run next, each command as it runs from where the user stands (`invocation`).
"""

from __future__ import annotations

import os
import shlex
import shutil
import sys
from pathlib import Path
from typing import Final

from argmap.errors import UsageError
from argmap.schema import schema_text
from argmap.write import write_atomic

SOURCE_FILE: Final = "sources/council-minutes.txt"

SOURCE_TEXT: Final = """\
Minutes of the town council meeting of 4 March 2024 (an example source for argmap's starter map).

Item 3: Sunday opening of the town library.

Councillor Ada Green proposed that the library open on Sundays. She said: "Families who work
all week have no other day to visit the library." She added that 1,200 people had signed a
petition asking for Sunday opening.

Councillor Ben Okafor opposed the proposal. He said that Sunday opening would cost more than
the library's whole budget for new books.

The item was deferred to the next meeting.
"""

MAP_TEXT: Final = f"""\
# yaml-language-server: $schema=claims.schema.json
# A starter argument map: replace the example with your own debate.
# It shows every field of the format once; fields marked "optional" may be deleted.
# Check it with `argmap check`, build the brief with `argmap build` (or `make diagram`),
# or run `argmap watch` to rebuild on every save and see the brief in your browser.
# Ids (id, by, source, rebuts, supports, tags) use lowercase letters, digits and hyphens,
# and each id is used once across the whole file.

version: 1          # optional: the format version; 1 is the only one today
title: Opening the town library on Sundays    # required: the heading of the brief
question: Should the town library open on Sundays?    # optional: the issue under debate
summary: >          # optional: plain text; '>' joins lines, a blank line starts a new paragraph
  At its March 2024 meeting the town council debated opening the library on Sundays.
  This starter map records the proposal, the objection to it and the evidence offered.

judgement:          # optional: how attacks are judged (docs/FORMAT.md, "Judgement")
  attacks: all      # all: every standing rebuttal defeats; weighed: only one at least as strong

sources:            # optional: where the words come from
  - id: council-minutes               # required: statements name it in 'source:'
    title: Minutes of the town council meeting of 4 March 2024    # required
    publisher: Town council           # optional
    author: The council clerk         # optional
    date: 2024-03-04                  # optional: YYYY, YYYY-MM or YYYY-MM-DD
    url: https://example.org/council/2024-03-04    # optional: http:// or https:// only
    # optional: a plain-text copy beside this map; every quote from this source must be in it
    file: {SOURCE_FILE}

speakers:           # optional: who says things in the map
  - id: green                         # required: statements name it in 'by:'
    name: Ada Green                   # required
    role: councillor                  # optional
    org: Town council                 # optional
  - id: okafor
    name: Ben Okafor
    role: councillor
  - id: clerk                         # who wrote the minutes: the words reach us through them
    name: the council clerk

claims:             # required: at least one point under debate
  - id: sunday-demand                 # required
    text: Working families can only visit the library on a Sunday.   # required: in your words
    by: green                         # optional: a speaker id
    # optional: the speaker's exact words; needs 'source:', and is checked against its file
    quote: "Families who work all week have no other day to visit the library."
    source: council-minutes           # required with 'quote:': a source id
    # optional: who reported the words (a speaker or source id); the brief says
    # "Ada Green, as reported by the council clerk"
    reported_by: clerk
    # optional: true when the quote is the reporter's account of what was said, not the
    # speaker's own words (the brief shows it as a paraphrase); false, the default: verbatim
    paraphrase: false
    tags: [access, families]          # optional: labels, written like ids
    weight:           # optional: its strength, a whole number, read only when attacks are weighed
    rebuts:           # optional: a claim may rebut a rival claim (an id, or a list)
    supports:         # optional: any point may also back other points

rebuttals:          # optional: points made against claims, evidence or other rebuttals
  - id: too-costly
    rebuts: sunday-demand             # required: one id, or a list: [id, other-id]
    text: Sunday opening would cost more than the library's whole book budget.
    by: okafor
    quote: Sunday opening would cost more than the library's whole budget for new books
    source: council-minutes
    reported_by: clerk
    paraphrase: true                  # the minutes give his point in the clerk's words
    tags: [cost]
    weight:           # optional, as above
    supports:         # optional, as above
    # optional: links it attacks instead of a point, e.g. [{{from: petition, to: sunday-demand}}]:
    # while it stands, that link counts for nothing ("that evidence does not bear on it")
    undercuts:

evidence:           # optional: what backs claims and rebuttals
  - id: petition
    supports: [sunday-demand]         # required: one id, or a list of claim or rebuttal ids
    # optional: what sort of evidence: fact (the default), statistic, quote, example or document
    kind: statistic
    text: 1,200 people signed a petition asking for Sunday opening.
    by: green
    quote: 1,200 people had signed a petition asking for Sunday opening
    source: council-minutes
    reported_by: clerk
    paraphrase: true
    tags: [access]
    weight:           # optional, as above
    rebuts:           # optional: evidence may rebut one point while it supports another
    undercuts:        # optional, as above
"""


GITIGNORE: Final = """\
# argmap's outputs and their layout cache: rebuilt by `argmap build` from claims.yaml
out/
"""
MAP_SUFFIXES: Final = (".yaml", ".yml")


def new_map(target: Path, *, force: bool = False) -> tuple[Path, list[Path]]:
    """`argmap new TARGET`: the map's path and the files written. A TARGET that is a folder,
    or that does not exist and is not named like a YAML file, becomes the map's folder (made
    if missing) with claims.yaml, sources/, the schema and a .gitignore for out/; a file
    name gets the starter as before (and the .gitignore beside it, where none is)."""
    folder_wanted = target.is_dir() or (
        not target.exists() and target.suffix.lower() not in MAP_SUFFIXES
    )
    path = target / "claims.yaml" if folder_wanted else target
    if folder_wanted and target.exists() and not target.is_dir():
        raise UsageError(f"{target} is a file; give a new folder's name, or the map's file name")
    written = write_starter(path, force=force)
    ignore = path.parent / ".gitignore"
    if not ignore.exists():
        write_atomic(ignore, GITIGNORE.encode())
        written.append(ignore)
    return path, written


def invocation() -> str:
    """How the user ran this argmap, as a command that runs from where they stand: `argmap`
    when that is on PATH, else the path they typed (`.venv/bin/argmap`), or `PYTHON -m argmap`.
    """
    argv0 = sys.argv[0] if sys.argv and sys.argv[0] else "argmap"
    script = Path(argv0)
    if script.name in ("__main__.py", "-m", "-c") or script.suffix == ".py":
        return f"{_runnable(Path(sys.executable))} -m argmap"
    on_path = shutil.which("argmap")
    if on_path is not None and script.exists() and Path(on_path).resolve() == script.resolve():
        return "argmap"
    return _runnable(script) if script.exists() else "argmap"


def _runnable(program: Path) -> str:
    """`program` as the shell runs it from here: relative when under this folder."""
    try:
        relative = os.path.relpath(program)
    except ValueError:  # another drive (Windows)
        relative = str(program)
    shown = relative if not relative.startswith("..") else os.path.abspath(program)
    if os.sep not in shown:
        shown = f".{os.sep}{shown}"
    return shlex.quote(shown)


def next_steps(path: Path, program: str) -> list[str]:
    """What to do after `argmap new`: each command exactly as it runs from here."""
    folder = path.parent
    shown = shlex.quote(str(path))
    out = folder / "out"
    return [
        f"next: replace the example in {shown} with your own debate, and run from here:",
        f"  {program} check {shown}    # every error, with where and how to fix it",
        f"  {program} build {shown}    # writes {out}/brief.html and the diagram",
        f"  {program} watch {shown}    # rebuilds on every save, the brief live in your browser",
        f"(the example's source, {folder / SOURCE_FILE}, can go once no quote names it)",
    ]


def write_starter(path: Path, *, force: bool = False) -> list[Path]:
    """Write the starter map at `path`, its source file and (if missing) the schema beside it.

    Returns the paths written. `UsageError` (nothing written) if the map, or a different
    source file, is already there and `force` is not given.
    """
    folder = path.parent
    source = folder / SOURCE_FILE
    schema = folder / "claims.schema.json"
    if path.is_dir():
        raise UsageError(
            f"{path} is a folder; give the map's file name, e.g. {path / 'claims.yaml'}"
        )
    if path.exists() and not force:
        raise UsageError(
            f"{path} already exists; choose another name, or add --force to replace it"
        )
    if source.exists() and not force and source.read_bytes() != SOURCE_TEXT.encode():
        raise UsageError(
            f"{source} already exists with other text; the starter's quotes come from it: "
            "move it away, or add --force to replace it"
        )
    files = {path: MAP_TEXT, source: SOURCE_TEXT}
    if not schema.exists():
        files[schema] = schema_text()
    for target, text in files.items():
        target.parent.mkdir(parents=True, exist_ok=True)
        write_atomic(target, text.encode())
    return list(files)
