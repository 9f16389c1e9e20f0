"""The claims.yaml schema (FORMAT.md, version 1): the one source of truth for its shape.

Every model forbids unknown fields and uses strict types, so `yes` is not text and a
number is not an id. Cross-references (which id points where) are checked in
`argmap.validate`, which knows the whole map. The building blocks (ids, texts, dates, the
small vocabularies, the strict base) live in `argmap.model_types` and are re-exported here.

The titles, descriptions and examples on each field are for people: `argmap.schema` turns
them into the JSON Schema that editors use for completion, hover help and checks as you type.
"""

from __future__ import annotations

from typing import Annotated, ClassVar, Final, Literal

from pydantic import BeforeValidator, ConfigDict, Field

from argmap.model_types import (
    _ID_RULE,
    _REBUTS_TOO,
    _SUPPORTS_TOO,
    _UNDERCUTS,
    DATE_PATTERN,
    ID_PATTERN,
    ID_RE,
    MAX_WEIGHT,
    AttackRule,
    Date,
    EvidenceKind,
    Id,
    IdList,
    ItemKind,
    Judgement,
    Kind,
    Link,
    Standing,
    Text,
    Url,
    _Strict,
    _whole_number,
)


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
    weight: Annotated[int, Field(ge=0, le=MAX_WEIGHT)] | None = Field(
        None,
        title="Weight",
        description=(
            "Only read when the map weighs attacks (`judgement: {attacks: weighed}`): this "
            "point's strength, given by the analyst, in place of the one counted from its "
            f"backing (a whole number from 0 to {MAX_WEIGHT:,})."
        ),
        examples=[3],
    )


class Claim(_Statement):
    """A point someone makes."""

    item_kind: ClassVar[Kind] = "claim"

    rebuts: IdList | None = Field(
        None, title="Rebuts", description=_REBUTS_TOO, examples=["rival-thesis"]
    )
    supports: IdList | None = Field(
        None, title="Supports", description=_SUPPORTS_TOO, examples=["related-claim"]
    )


class Rebuttal(_Statement):
    """A point made against claims, other rebuttals or evidence."""

    item_kind: ClassVar[Kind] = "rebuttal"
    model_config = ConfigDict(
        **_Strict.model_config,
        json_schema_extra={"anyOf": [{"required": ["rebuts"]}, {"required": ["undercuts"]}]},
    )

    rebuts: IdList = Field(
        title="Rebuts",
        description=(
            "What this rebuttal argues against: one id, or a list of ids, of claims, "
            "rebuttals or evidence (never itself). Required, unless it `undercuts` a link."
        ),
        examples=["replaces-all", ["replaces-all", "blow-for-blow"]],
        default=[],  # (not validated: an undercut alone needs no target; validation checks)
    )
    supports: IdList | None = Field(
        None, title="Supports", description=_SUPPORTS_TOO, examples=["counter-claim"]
    )
    undercuts: list[Link] | None = Field(
        None,
        title="Undercuts",
        description=_UNDERCUTS,
        examples=[[{"from": "survey-2019", "to": "traffic-down"}]],
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
    rebuts: IdList | None = Field(
        None, title="Rebuts", description=_REBUTS_TOO, examples=["rival-figure"]
    )
    undercuts: list[Link] | None = Field(
        None,
        title="Undercuts",
        description=_UNDERCUTS,
        examples=[[{"from": "survey-2019", "to": "traffic-down"}]],
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
    judgement: Judgement = Field(
        default=Judgement(attacks="all"),
        title="Judgement",
        description="How attacks are judged; by default every standing rebuttal defeats.",
        examples=[{"attacks": "weighed"}],
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

# The building blocks other modules read from here (argmap.model_types).
__all__ = [
    "DATE_PATTERN",
    "ID_PATTERN",
    "ID_RE",
    "MAX_WEIGHT",
    "SECTIONS",
    "ArgMap",
    "AttackRule",
    "Claim",
    "Date",
    "Evidence",
    "EvidenceKind",
    "Id",
    "IdList",
    "Item",
    "ItemKind",
    "Judgement",
    "Kind",
    "Link",
    "Rebuttal",
    "Source",
    "Speaker",
    "Standing",
    "Text",
    "Url",
]
