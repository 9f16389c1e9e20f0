"""JSON of a foreign file as data, with its bad places named (the readers' one JSON entry)."""

from __future__ import annotations

import json
from typing import Final

from argmap.interchange.losses import BadInput, Place, Problem

# Python's int() refuses more than 4,300 digits with a ValueError that json.loads lets through;
# a nodeID of 5,000 digits is foreign data, not a number argmap needs.
_BIG_NUMBER: Final = 400


def _int(text: str) -> int | str:
    return int(text) if len(text) <= _BIG_NUMBER else text


def load_json(text: str, file: str) -> object:
    """JSON as data, or `BadInput` at the line and column where it stops being JSON.

    A number too long to be a number anyone means stays as its digits (text).

    >>> load_json('{"nodeID": 12}', "x")
    {'nodeID': 12}
    """
    try:
        return json.loads(text, parse_int=_int)
    except json.JSONDecodeError as e:
        raise BadInput(
            [Problem(file, Place(e.lineno, e.colno), f"not valid JSON: {e.msg}")]
        ) from None
    except RecursionError:
        raise BadInput([Problem(file, Place(1, 1), "the JSON is nested too deeply")]) from None
    except ValueError as e:  # a float json cannot make, or the like
        raise BadInput([Problem(file, Place(1, 1), f"not valid JSON: {e}")]) from None
