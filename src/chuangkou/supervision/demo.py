"""The supervision part of the demo data (deterministic, `random.Random(SEED)`):

- the seed's 12 义务行风监督员 (supervisor01 … supervisor12; supervisor01 comes from the core
  demo), appointed for 2018–2020 over every center (two retired cadres not where their former
  department is stationed);
- a visit plan for January–August 2018 (each center once a month), every visit filed through
  the services, its findings confirmed or disputed by the department heads;
- the questionnaire "32 个问" (data/questions_v1.json), two heads per department, and the
  sitting-ins and problems such that, as of 2018-08-31, the figures are the briefing's
  "坐班 281 人次, 发现问题 98 个, 当场或者会商解决 72 个, 正在协调解决 26 个", computed from the
  individual rows (some coordinated problems are solved in September and October).
"""

import datetime as dt
import json
import random

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.utils import timezone

from chuangkou.core.calendar import is_working_day
from chuangkou.core.roles import Role
from chuangkou.core.services import create_account
from chuangkou.demo import DEMO_PASSWORD
from chuangkou.org.models import Center, Department, Window

from . import checklists, services
from .models import Answer, Finding, Problem, SittingIn, SittingSlot
from .services import Check

SEED = 2018
START, AS_OF = dt.date(2018, 1, 1), dt.date(2018, 8, 31)
TERM = (dt.date(2018, 1, 1), dt.date(2020, 12, 31))
SITTINGS, PROBLEMS, ON_SPOT, CONSULTED, COORDINATING = 281, 98, 51, 21, 26
RESOLVED_LATER = 10  # of the coordinating ones, solved in September–October


def _data() -> dict:
    return json.loads((checklists.DATA / "demo.json").read_text(encoding="utf-8"))


def _supervisors(admin, data: dict) -> list:
    users = get_user_model().objects
    centers = list(Center.objects.order_by("pk"))
    stationed = {}
    for center_id, code in Window.objects.values_list("center_id", "department__code"):
        stationed.setdefault(code, set()).add(center_id)
    departments = {d.code: d for d in Department.objects.all()}
    supervisors = []
    for person in data["supervisors"]:
        user = users.filter(username=person["username"]).first() or create_account(
            actor=None,
            username=person["username"],
            password=DEMO_PASSWORD,
            display_name=person["name"],
            roles=[Role.SUPERVISOR],
        )
        former = departments.get(person.get("former", ""))
        covered = [c for c in centers if not former or c.pk not in stationed.get(former.code, ())]
        supervisors.append(
            services.appoint_supervisor(
                actor=admin,
                user=user,
                name=person["name"],
                phone=person["phone"],
                affiliation=person["affiliation"],
                term_start=TERM[0],
                term_end=TERM[1],
                centers=covered,
                former_department=former,
            )
        )
    return supervisors


def _heads(data: dict) -> dict:
    """Two heads per department (depthead01 heads 不动产登记 already): department -> heads."""
    users = get_user_model().objects
    group = Group.objects.get_or_create(name=Role.DEPT_HEAD.value)[0]
    names = iter(data["heads"])
    heads = {}
    number = 2
    for department in Department.objects.order_by("code"):
        mine = list(department.heads.order_by("pk"))
        while len(mine) < 2:
            user = users.create(username=f"depthead{number:02d}", display_name=next(names))
            user.set_unusable_password()  # a person on record; depthead01 is the demo login
            user.save()
            user.groups.add(group)
            department.heads.add(user)
            mine.append(user)
            number += 1
        heads[department] = mine
    return heads


def _visits(rng: random.Random, admin, supervisors: list, heads: dict) -> None:
    plan = services.draw_plan(
        actor=admin,
        name="2018 年 1–8 月暗访计划",
        period_start=START,
        period_end=AS_OF,
        visits_per_center=1,
        seed=SEED,
    )
    by_user = {s.pk: s for s in supervisors}
    zone = timezone.get_current_timezone()
    for assignment in plan.assignments.select_related("center").order_by("date", "pk"):
        supervisor = by_user[assignment.supervisor_id]
        windows = [
            w.number
            for w in Window.objects.filter(center=assignment.center).order_by("number")
            if w.department_id != supervisor.former_department_id
        ]
        observed = rng.sample(windows, min(len(windows), rng.randint(2, 3)))
        checks = [
            Check(item.code, _result(rng), number)
            for number in observed
            for item in checklists.items("window")
        ] + [Check(item.code, _result(rng)) for item in checklists.items("lobby")]
        at = dt.datetime.combine(
            assignment.date, dt.time(rng.randint(9, 15), rng.choice((0, 15, 30, 45))), zone
        )
        services.file_visit(
            actor=supervisor.user,
            assignment=assignment,
            visited_at=at,
            windows=observed,
            checks=[
                c if c.result != "bad" else Check(c.item, "bad", c.window, "现场所见")
                for c in checks
            ],
            summary=rng.choice(["整体服务规范", "窗口秩序良好", "个别窗口需改进", "高峰时段人多"]),
        )
    _answer_findings(rng, admin, heads)


def _result(rng: random.Random) -> str:
    draw = rng.random()
    return "bad" if draw < 0.05 else "unseen" if draw < 0.2 else "ok"


def _answer_findings(rng: random.Random, admin, heads: dict) -> None:
    by_department = {d.pk: users for d, users in heads.items()}
    for finding in Finding.objects.order_by("pk"):
        if finding.department_id not in by_department:
            continue
        head = by_department[finding.department_id][0]
        draw = rng.random()
        if draw < 0.75:
            services.confirm_finding(actor=head, finding=finding)
        elif draw < 0.9:
            services.dispute_finding(actor=head, finding=finding, reason="当时正在处理紧急业务")
            services.decide_dispute(
                actor=admin, finding=finding, upheld=draw < 0.82, note="经核实调阅监控"
            )


def _sittings(rng: random.Random, heads: dict, data: dict) -> list:
    """281 recorded sitting-ins, each a head at a window of their department on a half-day."""
    questionnaire = services.publish_questionnaire(actor=None, version=1)
    questions = list(questionnaire.questions.all())
    days = [
        START + dt.timedelta(days=n)
        for n in range((AS_OF - START).days + 1)
        if is_working_day(START + dt.timedelta(days=n))
    ]
    windows = {}
    for window in Window.objects.filter(is_active=True).order_by("pk"):
        windows.setdefault(window.department_id, []).append(window)
    pairs = [(d, h) for d in heads for h in heads[d] if d.pk in windows]
    used, rows = set(), []
    while len(rows) < SITTINGS:
        department, head = pairs[len(rows) % len(pairs)]
        day, half = rng.choice(days), rng.choice(("am", "pm"))
        window = rng.choice(windows[department.pk])
        if (window.pk, day, half) in used or (head.pk, day, half) in used:
            continue
        used.update({(window.pk, day, half), (head.pk, day, half)})
        rows.append((window, day, half, head, department))
    slots = SittingSlot.objects.bulk_create(
        SittingSlot(window=w, date=day, half=half, capacity=1) for w, day, half, _, _ in rows
    )
    zone = timezone.get_current_timezone()
    sittings = SittingIn.objects.bulk_create(
        SittingIn(
            slot=slot,
            head=head,
            department=department,
            status=SittingIn.Status.RECORDED,
            booked_at=dt.datetime.combine(slot.date - dt.timedelta(days=7), dt.time(9), zone),
            questionnaire=questionnaire,
            summary="按“32个问”逐项体验。",
            recorded_at=dt.datetime.combine(slot.date, dt.time(17), zone),
        )
        for slot, (_, _, _, head, department) in zip(slots, rows, strict=True)
    )
    Answer.objects.bulk_create(
        Answer(sitting=s, question=q, text=rng.choice(data["answers"]))
        for s in sittings
        for q in rng.sample(questions, 4)
    )
    return sorted(sittings, key=lambda s: (s.slot.date, s.pk))


def _problems(rng: random.Random, admin, sittings: list, data: dict) -> None:
    """98 problems from as many sitting-ins: 51 solved on the spot, 21 by consultation, 26
    coordinating on 2018-08-31 (10 of them solved later)."""
    chosen = sorted(rng.sample(sittings, PROBLEMS), key=lambda s: (s.slot.date, s.pk))
    early = [s for s in chosen if s.slot.date <= AS_OF - dt.timedelta(days=14)]
    slow = set(rng.sample(early, CONSULTED + COORDINATING))
    routes = iter(["consult"] * CONSULTED + ["coordinate"] * COORDINATING)
    plan = {s.pk: next(routes) if s in slow else "on_spot" for s in chosen}
    later = []
    for sitting in chosen:
        kind_title = rng.choice(data["problems"])
        problem = services.report_problem(
            actor=admin,
            title=kind_title["title"],
            kind=kind_title["kind"],
            owner=sitting.department,
            source=Problem.Source.SITTING,
            center=sitting.slot.window.center,
            found_on=sitting.slot.date,
            sitting=sitting,
        )
        on = sitting.slot.date + dt.timedelta(days=rng.randint(2, 10))
        route = plan[sitting.pk]
        if route == "on_spot":
            services.solve_on_spot(
                actor=admin, problem=problem, resolution="现场协调解决", on=sitting.slot.date
            )
        elif route == "consult":
            services.solve_by_consultation(
                actor=admin,
                problem=problem,
                meeting_record="部门与中心会商，明确办理口径",
                resolution="按会商意见办理",
                on=on,
            )
        else:
            services.start_coordinating(
                actor=admin,
                problem=problem,
                note="需多部门协调",
                deadline=dt.date(2018, 12, 31),
                on=on,
            )
            later.append(problem)
    for problem in rng.sample(later, RESOLVED_LATER):
        services.mark_resolved(
            actor=admin,
            problem=problem,
            resolution="协调后解决",
            on=dt.date(2018, 9, 3) + dt.timedelta(days=rng.randint(0, 50)),
        )


def load() -> None:
    admin = get_user_model().objects.filter(username="admin").first()
    if admin is None or not Center.objects.exists():
        return
    rng = random.Random(SEED)  # noqa: S311 (reproducible demo data)
    data = _data()
    supervisors = _supervisors(admin, data)
    heads = _heads(data)
    _visits(rng, admin, supervisors, heads)
    sittings = _sittings(rng, heads, data)
    _problems(rng, admin, sittings, data)
