"""The claims.yaml schema (FORMAT.md, version 1): the one source of truth for its shape.

Every model forbids unknown fields and uses strict types, so `yes` is not text and a
number is not an id. Cross-references (which id points where) are checked in
`argmap.validate`, which knows the whole map.

The titles, descriptions and examples on each field are for people: `argmap.schema` turns
them into the JSON Schema that editors use for completion, hover help and checks as you type.
"""

from __future__ import annotations

import re
from typing import Annotated, ClassVar, Final, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StringConstraints,
)

ID_PATTERN: Final = r"^[a-z0-9][a-z0-9-]{0,63}$"
# For Python: `$` would also match before a final line break ("a\n"); `\Z` only at the end.
# (JSON Schema and pydantic read ID_PATTERN's `$` as the end of the text.)
ID_RE: Final = re.compile(ID_PATTERN.removesuffix("$") + r"\Z")
DATE_PATTERN: Final = r"^\d{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01]))?)?$"

Id = Annotated[str, StringConstraints(pattern=ID_PATTERN)]
Text = Annotated[str, StringConstraints(min_length=1, pattern=r"\S")]
Url = Annotated[str, StringConstraints(pattern=r"^[Hh][Tt][Tt][Pp][Ss]?://[^\s/?#]+[^\s]*$")]


def _one_or_many(value: object) -> object:
    """`rebuts: a` and `rebuts: [a, b]` mean the same; keep a list either way."""
    return [value] if isinstance(value, str) else value


def _once_each(ids: list[str]) -> list[str]:
    """`rebuts: [a, a]` is one rebuttal of `a` (argmap.validate warns of the repeat)."""
    return list(dict.fromkeys(ids))


def _whole_number(value: object) -> object:
    """`version: true` or `version: 1.0` is not version 1 (True == 1.0 == 1 in Python, and for
    `Literal[1]`)."""
    if type(value) is not int:
        raise ValueError("not a version number")
    return value


def _year_as_text(value: object) -> object:
    """`date: 2007` loads as a number; a four-digit year is still a date."""
    if isinstance(value, int) and not isinstance(value, bool) and 1000 <= value <= 9999:
        return str(value)
    return value


# `json_schema_input_type` only tells the JSON Schema what the validator accepts (one id or a
# list; a date as text or a year as a number); validation itself is unchanged.
_IdOrIds = Id | Annotated[list[Id], Field(min_length=1)]
_DateOrYear = (
    Annotated[str, StringConstraints(pattern=DATE_PATTERN)]
    | Annotated[int, Field(ge=1000, le=9999)]
)
IdList = Annotated[
    list[Id],
    BeforeValidator(_one_or_many, json_schema_input_type=_IdOrIds),
    Field(min_length=1),
    AfterValidator(_once_each),
]
Date = Annotated[
    str,
    BeforeValidator(_year_as_text, json_schema_input_type=_DateOrYear),
    StringConstraints(pattern=DATE_PATTERN),
]
EvidenceKind = Literal["fact", "statistic", "quote", "example", "document"]
Standing = Literal["stands", "defeated", "undecided"]
Kind = Literal["claim", "rebuttal", "evidence"]  # the kinds of points, the nodes of the map
ItemKind = Literal["source", "speaker", "claim", "rebuttal", "evidence"]

_ID_RULE: Final = (
    "Lowercase letters, digits and hyphens, starting with a letter or digit, at most 64 "
    "characters; unique across the whole file (sources, speakers, claims, rebuttals and "
    "evidence share one set of ids)."
)


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True, frozen=True, hide_input_in_errors=True)


class Source(_Strict):
    """Where the words come from: an article, a report, a transcript."""

    item_kind: ClassVar[ItemKind] = "source"

    id: Id = Field(
        title="Id",
        description=f"The source's id, which statements name in `source:`. {_ID_RULE}",
        examples=["spat-article"],
    )
    title: Text = Field(
        title="Title",
        description="The source's title, as a reader would look it up.",
        examples=["XenSource and VMware trade blows"],
    )
    publisher: Text | None = Field(
        None,
        title="Publisher",
        description="Who published it: a newspaper, a journal, an organisation.",
        examples=["The Register"],
    )
    author: Text | None = Field(
        None,
        title="Author",
        description="Who wrote it.",
        examples=["Jane Doe"],
    )
    date: Date | None = Field(
        None,
        title="Date",
        description="When it was published: YYYY, YYYY-MM or YYYY-MM-DD (a year may be a number).",
        examples=["2007-10", "2007-10-15", 2007],
    )
    url: Url | None = Field(
        None,
        title="URL",
        description="Where to read it online; http:// or https:// only.",
        examples=["https://example.org/articles/virtualization-spat"],
    )
    file: Text | None = Field(
        None,
        title="File",
        description=(
            "A plain-text (UTF-8) copy of the source, as a path relative to this map's folder "
            "and inside it. Every quote that names this source must be found in it."
        ),
        examples=["sources/virtualization-spat.txt"],
    )


class Speaker(_Strict):
    """A person (or body) who says things in the map."""

    item_kind: ClassVar[ItemKind] = "speaker"

    id: Id = Field(
        title="Id",
        description=f"The speaker's id, which statements name in `by:`. {_ID_RULE}",
        examples=["crosby"],
    )
    name: Text = Field(
        title="Name",
        description="The speaker's name, as the brief shows it.",
        examples=["Simon Crosby"],
    )
    role: Text | None = Field(
        None,
        title="Role",
        description="The speaker's role or job title.",
        examples=["founder and chief technology officer"],
    )
    org: Text | None = Field(
        None,
        title="Organisation",
        description="The organisation the speaker belongs to or speaks for.",
        examples=["XenSource"],
    )


class _Statement(_Strict):
    item_kind: ClassVar[Kind]  # each kind of statement says which it is

    id: Id = Field(
        title="Id",
        description=f"This statement's id, which rebuttals and evidence point to. {_ID_RULE}",
        examples=["replaces-all"],
    )
    text: Text = Field(
        title="Text",
        description="The point, in the map author's own words: one or two plain sentences.",
        examples=["VMware's road show replaces every other player in the industry."],
    )
    by: Id | None = Field(
        None,
        title="By",
        description="The id of the speaker who makes this point.",
        examples=["crosby"],
    )
    quote: Text | None = Field(
        None,
        title="Quote",
        description=(
            "The speaker's verbatim words (or, with `paraphrase: true`, a reporter's account "
            "of them). Needs `source:`; where that source has a `file:`, the quote must be "
            "found in it (spacing and the style of quote marks may differ)."
        ),
        examples=["The VMware road show is one that replaces all the other players."],
    )
    source: Id | None = Field(
        None,
        title="Source",
        description="The id of the source these words come from; required with `quote:`.",
        examples=["spat-article"],
    )
    # Reported speech (issue 21): who passed the words on, and whether they are the speaker's.
    reported_by: Id | None = Field(
        None,
        title="Reported by",
        description=(
            "Who reported these words, when they come to us through someone else: the id of a "
            "speaker (a reporter, a clerk) or of a source (a newspaper). The brief then says "
            "'Stephen A. Douglas, as reported by the Chicago Press and Tribune'."
        ),
        examples=["tribune"],
    )
    paraphrase: bool = Field(
        False,
        title="Paraphrase",
        description=(
            "true when `quote:` is the reporter's account of what the speaker said (\"Douglas "
            "charged that ...\"), not the speaker's own words: the brief shows it as a "
            "paraphrase, without quotation marks. It is still checked against the source's "
            "file. Needs `quote:`. Default false: the quote is verbatim."
        ),
        examples=[True],
    )
    tags: list[Id] = Field(
        default=[],
        title="Tags",
        description="Labels for grouping, each written like an id.",
        examples=[["market", "partners"]],
    )


class Claim(_Statement):
    """A point someone makes."""

    item_kind: ClassVar[Kind] = "claim"


class Rebuttal(_Statement):
    """A point made against claims, other rebuttals or evidence."""

    item_kind: ClassVar[Kind] = "rebuttal"

    rebuts: IdList = Field(
        title="Rebuts",
        description=(
            "What this rebuttal argues against: one id, or a list of ids, of claims, "
            "rebuttals or evidence (never itself)."
        ),
        examples=["replaces-all", ["replaces-all", "blow-for-blow"]],
    )


class Evidence(_Statement):
    """Something offered in support of claims, rebuttals or other evidence."""

    item_kind: ClassVar[Kind] = "evidence"  # (`kind` is the kind of evidence: fact, ...)

    supports: IdList = Field(
        title="Supports",
        description=(
            "What this evidence backs: one id, or a list of ids, of claims, rebuttals or other "
            "evidence (an evidence chain; never itself)."
        ),
        examples=["growing-ecosystem", ["growing-ecosystem", "open-standards"]],
    )
    kind: EvidenceKind = Field(
        "fact",
        title="Kind",
        description="What sort of evidence it is: fact (the default), statistic, quote, "
        "example or document.",
        examples=["statistic"],
    )


class ArgMap(_Strict):
    """A whole claims.yaml file."""

    version: Annotated[Literal[1], BeforeValidator(_whole_number)] = Field(
        1,
        title="Format version",
        description="The version of the claims.yaml format; 1 is the only version today.",
        examples=[1],
    )
    title: Text = Field(
        title="Title",
        description="The map's title: the heading of the brief.",
        examples=["The virtualization spat"],
    )
    question: Text | None = Field(
        None,
        title="Question",
        description="The issue under debate, as a question.",
        examples=["Is VMware crowding its partners out of virtualization?"],
    )
    summary: Text | None = Field(
        None,
        title="Summary",
        description="A short account of the debate in plain text; a blank line starts a new "
        "paragraph.",
        examples=["In 2007, as XenSource announced an OEM agreement with Symantec, ..."],
    )
    sources: list[Source] = Field(
        default=[],
        title="Sources",
        description="Where the words come from: articles, reports, transcripts.",
        examples=[[{"id": "spat-article", "title": "The virtualization spat", "date": 2007}]],
    )
    speakers: list[Speaker] = Field(
        default=[],
        title="Speakers",
        description="The people (or bodies) who say things in the map.",
        examples=[[{"id": "crosby", "name": "Simon Crosby", "org": "XenSource"}]],
    )
    claims: Annotated[
        list[Claim],
        Field(
            min_length=1,
            title="Claims",
            description="The points under debate; at least one.",
            examples=[[{"id": "replaces-all", "text": "VMware replaces every other player."}]],
        ),
    ]
    rebuttals: list[Rebuttal] = Field(
        default=[],
        title="Rebuttals",
        description="Points made against claims, evidence or other rebuttals.",
        examples=[
            [
                {
                    "id": "growing-ecosystem",
                    "rebuts": "replaces-all",
                    "text": "VMware has a growing ecosystem of partners.",
                }
            ]
        ],
    )
    evidence: list[Evidence] = Field(
        default=[],
        title="Evidence",
        description="What is offered in support of claims, rebuttals and other evidence.",
        examples=[
            [
                {
                    "id": "symantec-partner",
                    "supports": "growing-ecosystem",
                    "kind": "fact",
                    "text": "Symantec is already a VMware partner.",
                }
            ]
        ],
    )

    def statements(self) -> list[Claim | Rebuttal | Evidence]:
        """Claims, rebuttals and evidence in file order: the nodes of the map."""
        return [*self.claims, *self.rebuttals, *self.evidence]


Item = Source | Speaker | Claim | Rebuttal | Evidence
# Each section of a map: its name -> the model of one item of it (which knows its `item_kind`).
SECTIONS: Final[dict[str, type[Item]]] = {
    "sources": Source,
    "speakers": Speaker,
    "claims": Claim,
    "rebuttals": Rebuttal,
    "evidence": Evidence,
}
