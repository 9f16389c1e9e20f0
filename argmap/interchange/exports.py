"""The interchange exports by name, for `argmap export --format NAME`: the file name each is
written to by default, and the function that writes it from a valid map (and the map's folder,
for an export that carries the sources' text)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Final, NamedTuple

from argmap.model import ArgMap


class Export(NamedTuple):
    file: str  # the default output name, in out/ beside the map
    write: Callable[..., str]  # (map, folder of the map or None) -> text


def _argdown(m: ArgMap, folder: Path | None = None) -> str:
    from argmap.interchange.argdown_out import to_argdown

    return to_argdown(m)


def _aif(m: ArgMap, folder: Path | None = None) -> str:
    from argmap.interchange.aif_out import to_aif

    return to_aif(m)


def _xaif(m: ArgMap, folder: Path | None = None) -> str:
    from argmap.interchange.aif_out import to_xaif

    return to_xaif(m, folder)


def _iccma(fmt: str) -> Callable[..., str]:
    def write(m: ArgMap, folder: Path | None = None) -> str:
        from argmap.interchange import iccma

        writer: Callable[[ArgMap], str] = getattr(iccma, f"to_{fmt}")
        return writer(m)

    return write


EXPORTS: Final = {
    "argdown": Export("argmap.argdown", _argdown),
    "aif": Export("argmap.aif.json", _aif),
    "xaif": Export("argmap.xaif.json", _xaif),
    "i23": Export("argmap.i23", _iccma("i23")),
    "apx": Export("argmap.apx", _iccma("apx")),
    "tgf": Export("argmap.tgf", _iccma("tgf")),
}
