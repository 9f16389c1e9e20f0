"""Who said what in an AIF or xAIF file: L-nodes (locutions) asserting I-nodes through YA
nodes, `locutions` naming each L-node's person, `participants` naming each person.

A speaker's name comes from the participant that the L-node's locution names; where none
does (AIFdb nodesets list locutions but no participants), from the L-node's own `Name : words`
prefix. The words, without that prefix, become the point's quote. An xAIF file's dialogue
text becomes the quotes' source (written beside the map, so that `argmap check` finds each
quote in it) for the quotes found there verbatim; the others name the file itself as their
source, unchecked, and are reported. Nothing is dropped without a loss.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any, Final

from argmap.interchange.draft import Draft
from argmap.interchange.losses import Place
from argmap.validate.quotes import SourceText

FILE_SOURCE: Final = "aif-file"  # the id of the source named for quotes without one
DIALOGUE_SOURCE: Final = "dialogue"  # the id of an xAIF file's text, as a source
_PREFIX: Final = re.compile(r"\s*([^:\n]{1,60}?)\s*:\s+(?=\S)")
_MAX_NAME_WORDS: Final = 5


def _prefix(text: str) -> tuple[str, str] | None:
    """An L-node's `Name : words` as (name, words), when it reads as a name and words.

    >>> _prefix("Bob Smith : we should go"), _prefix("Note: it rains, so"), _prefix("no name")
    (('Bob Smith', 'we should go'), ('Note', 'it rains, so'), None)
    """
    m = _PREFIX.match(text)
    if m is None or len(m.group(1).split()) > _MAX_NAME_WORDS:
        return None
    return m.group(1), text[m.end() :]


def _people(doc: dict[str, Any]) -> dict[str, str]:
    """participantID -> full name (the export splits a name at its last space: join it)."""
    people: dict[str, str] = {}
    participants = doc.get("participants")
    for p in participants if isinstance(participants, list) else []:
        if isinstance(p, dict) and isinstance(p.get("participantID"), str | int):
            parts = (p.get(k) for k in ("firstname", "surname"))
            full = " ".join(str(x) for x in parts if isinstance(x, str | int) and str(x).strip())
            people[str(p["participantID"])] = full.strip() or f"participant {p['participantID']}"
    return people


def read_speech(
    doc: dict[str, Any],
    types: dict[str, str],
    texts: dict[str, str],
    out_of: dict[str, list[str]],
    d: Draft,
    dialogue: str | None,
) -> None:
    """Speakers and quotes into the draft's points (see the module's docstring)."""
    people = _people(doc)
    speaker_of: dict[str, str] = {}
    person_of: dict[str, str] = {}
    locutions = doc.get("locutions")
    for loc in locutions if isinstance(locutions, list) else []:
        if isinstance(loc, dict) and isinstance(loc.get("nodeID"), str | int):
            person = str(loc.get("personID"))
            person_of[str(loc["nodeID"])] = person
            if person in people:
                speaker_of[str(loc["nodeID"])] = people[person]
    heard = SourceText(dialogue) if dialogue is not None else None
    speakers: set[str] = set()
    used_people: set[str] = set()
    for lnode, kind in types.items():
        if kind != "L":
            continue
        text = texts[lnode]
        name = speaker_of.get(lnode)
        words = text
        split = _prefix(text)
        if name is not None:
            used_people.add(person_of[lnode])
            rest = text[len(name) :] if text.startswith(name) else None
            # argmap writes "Name: words" (the words exactly, spaces and all); AIFdb "Name : ".
            for sep in (": ", " : ", ":"):
                if rest is not None and rest.startswith(sep):
                    words = rest[len(sep) :] if sep != ":" else rest[1:].lstrip()
                    break
        elif split is not None and (lnode in person_of or "locutions" not in doc):
            # No participant says who (AIFdb nodesets have none; AraucariaDB no locutions):
            # the L-node's prefix does. (An L-node without a locution in a file that lists
            # locutions has no speaker: its text is only words, whatever they look like.)
            name, words = split
        elif lnode in person_of:
            d.losses.add(
                "dropped",
                "speaker of a locution",
                "no participant has its personID, and its text names no one (`Name : words`)",
                Place(node=lnode),
                "speakers of locutions",
            )
        asserted = [
            i
            for ya in out_of[lnode]
            if types[ya] == "YA"
            for i in out_of[ya]
            if types[i] == "I" and i in d.points
        ]
        if not asserted:
            d.losses.add(
                "dropped",
                "locution that asserts no point",
                "argmap keeps who said a point; this L-node reaches no I-node through a YA node",
                Place(node=lnode),
                "locutions that assert no point",
            )
            continue
        for i in asserted:
            point = d.points[i]
            if point.by is not None or point.quote is not None:
                d.losses.add(
                    "dropped",
                    "second locution of a point",
                    "argmap keeps one speaker and one quote per point: the first",
                    Place(node=lnode),
                    "second locutions of points",
                )
                continue
            if name:
                if name not in speakers:
                    speakers.add(name)
                    d.speakers.append({"id": name, "name": name})
                point.by = name
            if words.strip():
                point.quote = words
                if heard is not None and heard.has(words):
                    point.source = DIALOGUE_SOURCE
                else:
                    point.source = FILE_SOURCE
                    if heard is not None:
                        d.losses.add(
                            "kept",
                            "quote unchecked",
                            "its words are not in the dialogue's text verbatim; its source is "
                            "the file itself",
                            Place(node=lnode),
                            "quotes unchecked",
                        )
    for person, name in people.items():
        if person not in used_people:
            d.losses.add(
                "dropped",
                "participant who says nothing in the map",
                "argmap lists the speakers of points",
                Place(item=f"participant {name}"),
                "participants who say nothing in the map",
            )
    sources = {p.source for p in d.points.values()}
    if DIALOGUE_SOURCE in sources and dialogue is not None:
        d.sources.append({"id": DIALOGUE_SOURCE, "title": f"The text of {Path(d.file).name}"})
        d.texts[DIALOGUE_SOURCE] = dialogue
    elif dialogue is not None:
        d.losses.add(
            "dropped",
            "text of the dialogue",
            "no quote of the map is found in it verbatim",
            Place(item="text"),
            "texts of the dialogues",
        )
    if FILE_SOURCE in sources:
        d.sources.append({"id": FILE_SOURCE, "title": Path(d.file).name})
