"""常见问题: the reasons a reviewer can choose for 需补正, per material.

The catalog has no list of a material's common problems, so a small data list lives beside this
module (data/problems.json): problems every material can have, and more by a word of its name.
"""

import json
from functools import cache
from pathlib import Path

DATA = Path(__file__).resolve().parent / "data" / "problems.json"


@cache
def _data() -> dict:
    return json.loads(DATA.read_text(encoding="utf-8"))


def problems_for(material_name: str) -> list[tuple[str, str]]:
    """(code, label) pairs for a material: those matching its name first, then the common ones."""
    data = _data()
    found: list[tuple[str, str]] = []
    for word, pairs in data["by_keyword"]:
        if word in material_name:
            found.extend((code, label) for code, label in pairs)
    found.extend((code, label) for code, label in data["common"])
    seen, unique = set(), []
    for code, label in found:
        if code not in seen:
            seen.add(code)
            unique.append((code, label))
    return unique


def label_of(material_name: str, code: str) -> str | None:
    return dict(problems_for(material_name)).get(code)
