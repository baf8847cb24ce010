"""What notify knows of the apps above it, told by them (their `notices.py` registers here).

notify imports no hall, cases or feedback: a subject kind ("ticket", "appointment") comes with a
resolver that finds the subject behind its public token, and the figures page asks the
registered providers for the figures only the owning app can compute (no-shows)."""

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class SubjectRef:
    kind: str
    id: int
    center_id: int | None
    label: str  # e.g. "A012 号", shown on the opt-in form
    page_url: str  # where the person came from
    is_open: bool  # still worth notifying (waiting ticket, booking not yet passed)
    phone: str = ""  # the number the person gave when taking the number or booking


SUBJECTS: dict[str, Callable[[str], SubjectRef | None]] = {}
FIGURES: list[Callable] = []


def register_subject(kind: str, resolver: Callable[[str], SubjectRef | None]) -> None:
    SUBJECTS[kind] = resolver


def register_figures(provider: Callable) -> None:
    if provider not in FIGURES:
        FIGURES.append(provider)


def resolve(kind: str, token) -> SubjectRef | None:
    resolver = SUBJECTS.get(kind)
    return resolver(str(token)) if resolver else None
