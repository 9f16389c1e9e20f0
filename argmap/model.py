"""The claims.yaml schema (FORMAT.md, version 1): the one source of truth for its shape.

Every model forbids unknown fields and uses strict types, so `yes` is not text and a
number is not an id. Cross-references (which id points where) are checked in
`argmap.validate`, which knows the whole map.
"""

from __future__ import annotations

import re
from typing import Annotated, Final, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, StringConstraints

ID_PATTERN: Final = r"^[a-z0-9][a-z0-9-]{0,63}$"
ID_RE: Final = re.compile(ID_PATTERN)
DATE_PATTERN: Final = r"^\d{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01]))?)?$"

Id = Annotated[str, StringConstraints(pattern=ID_PATTERN)]
Text = Annotated[str, StringConstraints(min_length=1, pattern=r"\S")]
Url = Annotated[str, StringConstraints(pattern=r"^[Hh][Tt][Tt][Pp][Ss]?://[^\s/?#]+[^\s]*$")]


def _one_or_many(value: object) -> object:
    """`rebuts: a` and `rebuts: [a, b]` mean the same; keep a list either way."""
    return [value] if isinstance(value, str) else value


def _year_as_text(value: object) -> object:
    """`date: 2007` loads as a number; a four-digit year is still a date."""
    if isinstance(value, int) and not isinstance(value, bool) and 1000 <= value <= 9999:
        return str(value)
    return value


IdList = Annotated[list[Id], BeforeValidator(_one_or_many), Field(min_length=1)]
Date = Annotated[str, BeforeValidator(_year_as_text), StringConstraints(pattern=DATE_PATTERN)]
EvidenceKind = Literal["fact", "statistic", "quote", "example", "document"]
Standing = Literal["stands", "defeated", "undecided"]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True, frozen=True, hide_input_in_errors=True)


class Source(_Strict):
    """Where the words come from: an article, a report, a transcript."""

    id: Id
    title: Text
    publisher: Text | None = None
    author: Text | None = None
    date: Date | None = None
    url: Url | None = None
    file: Text | None = None


class Speaker(_Strict):
    """A person (or body) who says things in the map."""

    id: Id
    name: Text
    role: Text | None = None
    org: Text | None = None


class _Statement(_Strict):
    id: Id
    text: Text
    by: Id | None = None
    quote: Text | None = None
    source: Id | None = None
    tags: list[Id] = []


class Claim(_Statement):
    """A point someone makes."""


class Rebuttal(_Statement):
    """A point made against claims, other rebuttals or evidence."""

    rebuts: IdList


class Evidence(_Statement):
    """Something offered in support of claims or rebuttals."""

    supports: IdList
    kind: EvidenceKind = "fact"


class ArgMap(_Strict):
    """A whole claims.yaml file."""

    version: Literal[1] = 1
    title: Text
    question: Text | None = None
    summary: Text | None = None
    sources: list[Source] = []
    speakers: list[Speaker] = []
    claims: Annotated[list[Claim], Field(min_length=1)]
    rebuttals: list[Rebuttal] = []
    evidence: list[Evidence] = []

    def statements(self) -> list[Claim | Rebuttal | Evidence]:
        """Claims, rebuttals and evidence in file order: the nodes of the map."""
        return [*self.claims, *self.rebuttals, *self.evidence]
