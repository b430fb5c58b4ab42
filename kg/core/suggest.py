"""What a mistyped name probably meant: the known names most like it, for every "did you mean" of kg and the
loaders."""

from __future__ import annotations

import difflib
from collections.abc import Iterable

# difflib's own default: below it a suggestion mostly shares a few letters and nothing else ("Ga" for "galium" is
# 0.5). Abbreviations fall below it too ("qty" for "quantity": 0.55); they are found as such (`_abbreviates`).
CUTOFF = 0.6


def closest(word: str, known: Iterable[str], count: int = 3) -> list[str]:
    """Up to `count` known names most like `word`, best first, each spelt as known: a name equal to it but for case
    and runs of blanks, then spellings whose likeness (difflib's ratio, case folded) is at least CUTOFF, then names
    that `word` abbreviates (its letters in order, from the first)."""
    by_key: dict[str, str] = {}
    for name in known:
        by_key.setdefault(_key(name), name)
    key = _key(word)
    found = [key] if key in by_key else []
    others = [k for k in by_key if k != key]
    found += difflib.get_close_matches(key, others, n=count, cutoff=CUTOFF)
    found += [k for k in others if k not in found and _abbreviates(key, k)]
    return [by_key[k] for k in found[:count]]


def _key(name: str) -> str:
    return " ".join(name.split()).casefold()


def _abbreviates(short: str, name: str) -> bool:
    if len(short) < 2 or len(short) >= len(name) or short[0] != name[0]:
        return False
    letters = iter(name)
    return all(char in letters for char in short)
