"""Exclusion patterns of an external library: globs matched against a file's absolute path, as Immich's.

`**` matches any number of folders (also none: `**/@eaDir/**` matches /photos/@eaDir/x.jpg), `*` anything
within one name, `?` one character, `[abc]` / `[!abc]` a character class. Matching is case-sensitive and a
leading dot needs no special treatment (`**/.*/**` excludes hidden folders).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

DEFAULT_PATTERNS = ["**/@eaDir/**", "**/._*", "**/#recycle/**", "**/#snapshot/**"]


def _translate(pattern: str) -> str:
    out: list[str] = []
    i, n = 0, len(pattern)
    while i < n:
        c = pattern[i]
        if pattern.startswith("**/", i):
            out.append("(?:.*/)?")
            i += 3
        elif pattern.startswith("/**", i) and i + 3 == n:
            out.append("(?:/.*)?")
            i += 3
        elif pattern.startswith("**", i):
            out.append(".*")
            i += 2
        elif c == "*":
            out.append("[^/]*")
            i += 1
        elif c == "?":
            out.append("[^/]")
            i += 1
        elif c == "[":
            j = pattern.find("]", i + 2)
            if j < 0:
                out.append(re.escape(c))
                i += 1
                continue
            body = pattern[i + 1:j]
            neg = body[:1] in ("!", "^")
            body = body[1:] if neg else body
            out.append(f"[{'^' if neg else ''}{body.replace(chr(92), chr(92) * 2)}]")
            i = j + 1
        else:
            out.append(re.escape(c))
            i += 1
    return "".join(out)


class Exclusions:
    """The compiled patterns of one library. `excludes(path)` for files; `prunes(folder)` for whole folders
    (a pattern ending in /** excludes everything below the folder, so the scan need not enter it)."""

    def __init__(self, patterns: Sequence[str]) -> None:
        parts = [_translate(p) for p in patterns if p]
        self._re = re.compile("|".join(f"(?:{p})" for p in parts), re.DOTALL) if parts else None

    def excludes(self, path: str) -> bool:
        return self._re is not None and self._re.fullmatch(path) is not None

    def prunes(self, folder: str) -> bool:
        # "/photos/@eaDir/" + any name is excluded whatever the name: test with a name no pattern mentions.
        return self._re is not None and self._re.fullmatch(folder.rstrip("/") + "/\x00") is not None


def check_pattern(pattern: str) -> str | None:
    """Why a pattern is not usable, or None."""
    if not pattern.strip():
        return "Exclusion patterns must not be empty"
    try:
        re.compile(_translate(pattern))
    except re.error as e:
        return f"Invalid exclusion pattern {pattern!r}: {e}"
    return None
