"""The data files of supervision: the visit checklist and the versions of the "32 个问"."""

import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path

DATA = Path(__file__).resolve().parent / "data"


@dataclass(frozen=True)
class Item:
    code: str
    label: str
    hint: str
    group: str
    group_label: str
    scope: str  # "window": checked at each observed window; "lobby": once for the lobby manager
    veto: bool = False  # 一票否决: a confirmed finding bars the person and window from honors


@cache
def checklist() -> tuple[Item, ...]:
    """Every checklist item, in the order of the data file."""
    data = json.loads((DATA / "checklist.json").read_text(encoding="utf-8"))
    return tuple(
        Item(
            i["code"],
            i["label"],
            i.get("hint", ""),
            g["code"],
            g["label"],
            g["scope"],
            i.get("veto", False),
        )
        for g in data["groups"]
        for i in g["items"]
    )


def items(scope: str) -> list[Item]:
    return [i for i in checklist() if i.scope == scope]


def veto_codes() -> list[str]:
    """Items whose confirmed finding is 一票否决 (data file: `"veto": true`)."""
    return [i.code for i in checklist() if i.veto]


def item(code: str) -> Item | None:
    return next((i for i in checklist() if i.code == code), None)


def groups(scope: str) -> list[tuple[str, list[Item]]]:
    """[(group label, items)] of one scope, for the form."""
    out: dict[str, list[Item]] = {}
    for i in items(scope):
        out.setdefault(i.group_label, []).append(i)
    return list(out.items())


def questionnaire_file(version: int) -> dict:
    """A questionnaire version as written in data/questions_v<version>.json."""
    data = json.loads((DATA / f"questions_v{version}.json").read_text(encoding="utf-8"))
    questions = [(stage["stage"], text) for stage in data["stages"] for text in stage["questions"]]
    return {**data, "questions": questions}
