"""技能大比武: teams by department or window, timed rounds of scenario and case questions."""

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable

from django.db import transaction

from chuangkou.core import audit
from chuangkou.core.errors import DomainError
from chuangkou.org.models import Staff

from ..models import (
    Contest,
    ContestRound,
    ContestTeam,
    Exam,
    MultiRule,
    Paper,
    Question,
    QuestionKind,
)
from ..permissions import require_manager
from .exams import add_candidates, create_exam, open_exam
from .papers import add_blueprint_rule, create_paper

CASE_SOURCES = [Question.Source.TYPICAL_CASE, Question.Source.WINDOW_PROBLEM]


@transaction.atomic
def create_contest(
    *,
    actor,
    name: str,
    staff: Iterable[Staff],
    team_basis: str = Contest.TeamBasis.DEPARTMENT,
    description: str = "",
    min_team_size: int = 2,
) -> Contest:
    """新建比武 and form its teams from the staff given, by department or by window; groups
    smaller than `min_team_size` are left out."""
    require_manager(actor)
    name = (name or "").strip()
    if not name:
        raise DomainError("请填写比武名称。", field="name")
    if team_basis not in Contest.TeamBasis.values:
        raise DomainError("组队方式无效。", field="team_basis")
    groups: dict[object, list[Staff]] = defaultdict(list)
    for person in staff:
        if person.status == Staff.Status.LEFT:
            continue
        key = person.department if team_basis == Contest.TeamBasis.DEPARTMENT else person.window
        if key is not None:
            groups[key].append(person)
    groups = {k: v for k, v in groups.items() if len(v) >= min_team_size}
    if len(groups) < 2:
        raise DomainError("至少需要两支队伍（每队不少于 2 人）。", field="staff")
    contest = Contest.objects.create(
        name=name,
        team_basis=team_basis,
        description=description.strip(),
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    for key, members in sorted(groups.items(), key=lambda kv: str(kv[0])):
        by_department = team_basis == Contest.TeamBasis.DEPARTMENT
        team = ContestTeam.objects.create(
            contest=contest,
            name=str(key) if by_department else f"{key.center.name} {key.number} {key.name}",
            department=key if by_department else key.department,
            window=None if by_department else key,
        )
        team.members.set(members)
    audit.record(
        actor=actor,
        action="exams.contest.create",
        obj=contest,
        after={"teams": len(groups), "members": sum(len(v) for v in groups.values())},
    )
    return contest


def contest_members(contest: Contest) -> list[Staff]:
    return list(
        Staff.objects.filter(
            pk__in=ContestTeam.members.through.objects.filter(contestteam__contest=contest).values(
                "staff_id"
            )
        ).order_by("pk")
    )


@transaction.atomic
def add_contest_round(
    *,
    actor,
    contest: Contest,
    name: str,
    starts_at: dt.datetime,
    duration_minutes: int,
    scenario_count: int,
    case_count: int,
    points_each=5,
) -> ContestRound:
    """A timed round: `scenario_count` 虚拟办事场景题 and `case_count` choice questions from the
    windows' difficult problems and typical cases, drawn for each contestant; opened at once."""
    require_manager(actor)
    name = (name or "").strip()
    if not name:
        raise DomainError("请填写轮次名称。", field="name")
    if scenario_count < 0 or case_count < 0 or scenario_count + case_count == 0:
        raise DomainError("请至少安排一道题。", field="scenario_count")
    paper = create_paper(
        actor=actor,
        name=f"{contest.name} · {name}",
        kind=Paper.Kind.BLUEPRINT,
        multi_rule=MultiRule.HALF,
        shuffle_options=True,
    )
    if scenario_count:
        add_blueprint_rule(
            actor=actor,
            paper=paper,
            kind=QuestionKind.SCENARIO,
            count=scenario_count,
            points=points_each,
        )
    if case_count:
        add_blueprint_rule(
            actor=actor,
            paper=paper,
            kind=QuestionKind.MULTIPLE,
            count=case_count,
            points=points_each,
            sources=CASE_SOURCES,
        )
    exam = create_exam(
        actor=actor,
        title=f"{contest.name} · {name}",
        paper=paper,
        starts_at=starts_at,
        ends_at=starts_at + dt.timedelta(minutes=duration_minutes),
        duration_minutes=duration_minutes,
        purpose=Exam.Purpose.CONTEST,
    )
    add_candidates(actor=actor, exam=exam, staff=contest_members(contest))
    open_exam(actor=actor, exam=exam)
    contest_round = ContestRound.objects.create(
        contest=contest, name=name, order=contest.rounds.count() + 1, exam=exam
    )
    audit.record(
        actor=actor,
        action="exams.contest.add_round",
        obj=contest,
        after={"round": name, "exam": exam.pk},
    )
    return contest_round
