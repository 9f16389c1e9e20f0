"""The JSON Schema of claims.yaml, generated from the pydantic models in `argmap.model`.

Editors read it (through yaml-language-server) to complete field names, show each field's
help on hover, and flag a wrong field or value as you type. It is committed as
`claims.schema.json` beside the seed map; `argmap schema -o claims.schema.json` regenerates it,
and a test fails while the committed copy is stale.

What a schema cannot say is still checked by `argmap check`: duplicate keys and ids,
references to unknown ids, quotes missing from their source file.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Final

from argmap.model import ArgMap

DIALECT: Final = "https://json-schema.org/draft/2020-12/schema"
SCHEMA_ID: Final = "urn:argmap:claims-yaml:1"
TITLE: Final = "argmap argument map (claims.yaml, format version 1)"
DESCRIPTION: Final = (
    "An argument map: claims, the rebuttals against them and the evidence for them, with "
    "the sources and speakers they come from. Ids are shared across the whole file. "
    "`argmap check` also checks what a schema cannot: duplicate ids, references to unknown "
    "ids, and quotes against their source files."
)


def json_schema() -> dict[str, Any]:
    """The schema as a dict: `$schema` and `$id` first, then pydantic's validation schema.

    >>> s = json_schema()
    >>> s["$schema"], s["required"]
    ('https://json-schema.org/draft/2020-12/schema', ['title', 'claims'])
    """
    generated = ArgMap.model_json_schema(mode="validation")
    generated.update(title=TITLE, description=DESCRIPTION)
    for name, spec in generated["properties"].items():  # pydantic drops a title beside `$ref`
        if "$ref" in spec and "title" not in spec:
            spec["title"] = ArgMap.model_fields[name].title

    return {"$schema": DIALECT, "$id": SCHEMA_ID, **generated}


def schema_text() -> str:
    """The schema as the text of `claims.schema.json`: sorted keys, so the same models always
    give the same bytes, whatever order pydantic emits them in."""
    return json.dumps(json_schema(), indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def holds_other_text(path: Path, schema_id: str = SCHEMA_ID) -> bool:
    """Whether `path` is a file holding anything but a schema argmap wrote (any version) with
    the `$id` `schema_id` (by default claims.yaml's), so that `argmap schema -o claims.yaml`
    cannot replace a map. Missing, empty or not a file (a device, a pipe): False.
    """
    try:
        if not path.is_file() or path.stat().st_size == 0:
            return False
        if path.stat().st_size > 4 * 1024 * 1024:
            return True
        found = json.loads(path.read_bytes())
    except (OSError, ValueError):
        return True
    return not (isinstance(found, dict) and found.get("$id") == schema_id)
