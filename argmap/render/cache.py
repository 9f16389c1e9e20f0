"""The layout cache, read as untrusted input: `OUT/.cache/KEY.layout`, one file per layout.

Anyone who can write the map's folder can write `out/.cache/`, and a cache shared through a
repository or an archive is foreign input. So an entry is used only if all of this holds;
anything else is a miss (the picture is laid out anew), and each kind of miss is named once
in a note of the build:

- the cache folder is a real folder (not a link) inside the output folder;
- the entry is a regular file, opened without following a link or blocking (a FIFO), and at
  most `ENTRY_CAP` bytes (a link to /dev/zero is never read);
- it is `MAGIC`, a JSON header line (each format's length and SHA-256, the notes), then the
  bytes, every length and hash checking out;
- each SVG in it is a drawing the SVG cleaner (`argmap.render.svg`) would keep as it is: dot's
  prolog, then only the elements dot draws with, no event attribute, style or foreign
  attribute, links only to http(s), a card or a claim's picture; each PNG starts as a PNG.

Entries are written (atomically, only by name, only inside that folder) by
`argmap.write.cache`, after the build's outputs. An entry this process has checked (or
written) is kept in memory too, up to `MEMORY_CAP` bytes, with the identity of its file
(device, inode, size, modification and change times): while the file is that same file, the
entry is used again without reading or checking it once more (`argmap watch` looks up every
picture on each save); a file replaced or changed since is read and checked anew.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
import stat
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path
from typing import Final

from argmap.outputs import CLAIM_ID, CLAIM_PICTURE
from argmap.render.svg import KEPT, SVG_NS, XLINK_NS, safe_url
from argmap.text import printable

MAGIC: Final = b"argmap-layout-cache 1\n"
SUFFIX: Final = ".layout"
ENTRY_CAP: Final = 64 * 1024 * 1024  # bytes; a whole map's SVG and PNG fit well within
ENTRY_NAME: Final = re.compile(r"[0-9a-f]{64}\.layout")  # the only names argmap writes there
_PNG: Final = b"\x89PNG\r\n\x1a\n"
_PROLOG: Final = re.compile(  # dot's: an XML declaration, a doctype with no subset, comments
    rb"(?:\s*(?:<\?xml[^<>]*\?>|<!DOCTYPE svg[^<>\[\]]*>|<!--(?:[^-]|-(?!-))*-->))*\s*"
)
_CARD_LINK: Final = re.compile(rf"(?:\.\./)?[A-Za-z0-9._-]*#{CLAIM_ID}")
MEMORY_CAP: Final = 64 * 1024 * 1024  # bytes of layouts kept in memory, the oldest dropped


@dataclass(frozen=True)
class LaidOut:
    """One picture as dot drew it: format -> bytes, and dot's notes about it."""

    files: dict[str, bytes]
    notes: tuple[str, ...]


def encode(result: LaidOut) -> bytes:
    """The bytes of a cache entry for `result`."""
    header = {
        "files": [[fmt, len(b), hashlib.sha256(b).hexdigest()] for fmt, b in result.files.items()],
        "notes": list(result.notes),
    }
    return MAGIC + json.dumps(header).encode() + b"\n" + b"".join(result.files.values())


def decode(data: bytes, formats: tuple[str, ...]) -> LaidOut | None:
    """The layout in an entry's bytes, or None if they do not check out."""
    try:
        if not data.startswith(MAGIC):
            return None
        header_end = data.index(b"\n", len(MAGIC))
        header = json.loads(data[len(MAGIC) : header_end])
        files: dict[str, bytes] = {}
        at = header_end + 1
        for fmt, size, digest in header["files"]:
            chunk = data[at : at + size]
            if len(chunk) != size or hashlib.sha256(chunk).hexdigest() != digest:
                return None
            files[str(fmt)] = chunk
            at += size
        if at != len(data) or not set(files) <= set(formats):
            return None
        notes = tuple(printable(str(note)) for note in header["notes"])  # (may be planted)
    except (ValueError, KeyError, TypeError, RecursionError):  # (a header nested too deep)
        return None
    return LaidOut(files, notes)


def is_clean_svg(svg: bytes) -> bool:
    """Whether `svg` is a drawing as dot writes one, that the SVG cleaner would keep whole.

    >>> is_clean_svg(b'<?xml version="1.0"?>\\n<svg xmlns="http://www.w3.org/2000/svg"><g/></svg>')
    True
    >>> is_clean_svg(b'<svg xmlns="http://www.w3.org/2000/svg"><script>x()</script></svg>')
    False
    >>> is_clean_svg(b'<script>x()</script><svg xmlns="http://www.w3.org/2000/svg"/>')
    False
    >>> is_clean_svg(b'<svg xmlns="http://www.w3.org/2000/svg"><?xml-stylesheet href="x"?></svg>')
    False
    """
    start = svg.find(b"<svg")
    end = svg.rfind(b"</svg>")
    if start < 0 or _PROLOG.fullmatch(svg[:start]) is None:
        return False
    if end >= 0 and svg[end + len(b"</svg>") :].strip():
        return False
    if b"<?" in svg[start:] or b"<![CDATA[" in svg[start:]:  # dot writes neither inside
        return False  # (a processing instruction, which the cleaner drops; a CDATA section)
    try:
        root = ET.fromstring(svg[start:])  # noqa: S314 - no doctype: no entity can be declared
    except ET.ParseError:
        return False
    return all(map(_kept, root.iter()))


def _kept(element: ET.Element) -> bool:
    """Whether the cleaner keeps `element` and each of its attributes as they are."""
    if element.tag not in _KEPT_TAGS:
        return False
    for key, value in element.attrib.items():
        kind = _NAME_KINDS.get(key)
        if kind is None:
            kind = _name_kind(key)
            if len(_NAME_KINDS) < 1000:  # bounded: a drawing of dot's has a dozen names
                _NAME_KINDS[key] = kind
        if kind == _PLAIN:
            continue
        if kind == _REFUSED:
            return False
        if kind == _LINK and not _safe_link(value):
            return False
        if kind == _TARGET and value != "_top":
            return False
    return True


_KEPT_TAGS: Final = frozenset(f"{{{SVG_NS}}}{tag}" for tag in KEPT)
_PLAIN, _REFUSED, _LINK, _TARGET = range(4)  # what an attribute's name makes of it
_NAME_KINDS: dict[str, int] = {}  # a parsed attribute name -> its kind, checked once


def _name_kind(key: str) -> int:
    """Another namespace, an event handler, a style or an xlink attribute but href and title
    are refused; links and targets have their values checked; the rest is kept as it is."""
    name = key.replace(f"{{{XLINK_NS}}}", "xlink:")
    if name.startswith("{") or name.lower().startswith("on") or name == "style":
        return _REFUSED
    if name.startswith("xlink:") and name not in ("xlink:href", "xlink:title"):
        return _REFUSED
    if name in ("href", "xlink:href"):
        return _LINK
    return _TARGET if name == "target" else _PLAIN


def _safe_link(value: str) -> bool:
    picture = value.removeprefix("../")  # a page of the overview links up from overview/
    return bool(safe_url(value) or CLAIM_PICTURE.fullmatch(picture) or _CARD_LINK.fullmatch(value))


class Cache:
    """The cache folder, read only: `get` a layout by key, or None (a miss). `notes` names
    each kind of entry that was refused, once."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.refused: dict[str, int] = {}  # why -> how many entries
        self.usable = self._usable()
        self._identity: Identity | None = None

    def _usable(self) -> bool:
        try:
            st = os.lstat(self.folder)
        except FileNotFoundError:
            return True  # no cache yet: every picture is a miss, and is kept after the build
        except OSError:
            self._refuse("it cannot be read")
            return False
        if stat.S_ISLNK(st.st_mode):
            self._refuse("it is a link, not a folder (remove it)")
            return False
        if not stat.S_ISDIR(st.st_mode):
            self._refuse("it is not a folder (remove it)")
            return False
        return True

    def _refuse(self, why: str) -> None:
        self.refused[why] = self.refused.get(why, 0) + 1

    @property
    def notes(self) -> list[str]:
        if not self.refused:
            return []
        if not self.usable:
            (why,) = self.refused
            return [f"the layout cache {self.folder} is not used: {why}; pictures laid out anew"]
        said = "; ".join(f"{n} {why}" for why, n in self.refused.items())
        return [f"the layout cache {self.folder}: entries ignored ({said}); laid out anew"]

    def get(self, key: str, formats: tuple[str, ...]) -> LaidOut | None:
        if not self.usable:
            return None
        path = self.folder / f"{key}{SUFFIX}"
        known = _KNOWN.get(key)
        if known is not None and set(known[1].files) <= set(formats):
            with contextlib.suppress(OSError):
                if identity(os.lstat(path)) == known[0]:
                    return known[1]
        data = self._read(path)
        if data is None:
            return None
        found = decode(data, formats)
        if found is None:
            return None  # corrupt or of another version: laid out anew and rewritten
        for fmt, body in found.files.items():
            if (fmt == "svg" and not is_clean_svg(body)) or (
                fmt == "png" and not body.startswith(_PNG)
            ):
                self._refuse("held markup that dot never writes")
                return None
        if self._identity is not None:
            remember(key, self._identity, found)
        return found

    def _read(self, path: Path) -> bytes | None:
        self._identity = None  # of the file read, once touched
        flags = os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0)
        try:
            fd = os.open(path, flags)
        except FileNotFoundError:
            return None
        except OSError as e:
            self._refuse("links" if e.errno == getattr(os, "ELOOP", 40) else "unreadable")
            return None
        with os.fdopen(fd, "rb") as f:
            st = os.fstat(fd)
            if not stat.S_ISREG(st.st_mode):
                self._refuse("not regular files")
                return None
            if st.st_size > ENTRY_CAP:
                self._refuse(f"over {ENTRY_CAP // 1024 // 1024} MiB")
                return None
            data = f.read(ENTRY_CAP + 1)
            if len(data) > ENTRY_CAP:
                self._refuse(f"over {ENTRY_CAP // 1024 // 1024} MiB")
                return None
            with contextlib.suppress(OSError, NotImplementedError):
                os.utime(fd)  # recently used: pruned last
                self._identity = identity(os.fstat(fd))
        return data


Identity = tuple[int, int, int, int, int]
_KNOWN: dict[str, tuple[Identity, LaidOut]] = {}  # key -> its file and layout, oldest first
_KNOWN_BYTES: list[int] = [0]


def identity(st: os.stat_result) -> Identity | None:
    """What tells one version of a regular file from another: a change made to it or a file
    put in its place changes its change time (ctime), which no user can set."""
    if not stat.S_ISREG(st.st_mode):
        return None
    return st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns, st.st_ctime_ns


def remember(key: str, file: Identity, result: LaidOut) -> None:
    """Keep a layout this process has checked or written as the file `file`."""
    old = _KNOWN.pop(key, None)
    if old is not None:
        _KNOWN_BYTES[0] -= sum(map(len, old[1].files.values()))
    _KNOWN[key] = (file, result)
    _KNOWN_BYTES[0] += sum(map(len, result.files.values()))
    while _KNOWN_BYTES[0] > MEMORY_CAP and _KNOWN:
        oldest = next(iter(_KNOWN))
        _KNOWN_BYTES[0] -= sum(map(len, _KNOWN.pop(oldest)[1].files.values()))
