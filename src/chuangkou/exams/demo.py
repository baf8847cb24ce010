"""The exams part of the demo data: the 25 high-frequency knowledge points, a bank of about 400
questions of every kind generated from demo_bank's facts, the finished 2018 业务通办 written
exam (about 120 temporary staff in post, objective answers scored, open answers graded blind by
three graders, results published) and the 2018 技能大比武 with teams by department.

Everything is drawn from `random.Random(2018)` and bulk-inserted; the load is summarised in one
audit entry. Scenario questions use the catalog's matter (and its required materials) when a
matter of that name exists.
"""

import datetime as dt
import math
import random
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.utils import timezone

from chuangkou.catalog.models import Matter
from chuangkou.core import audit
from chuangkou.core.roles import Role
from chuangkou.core.services import create_account
from chuangkou.demo import DEMO_PASSWORD
from chuangkou.org.models import Department, Staff
from chuangkou.org.selectors import in_post_on

from . import content
from .demo_bank import DOMAINS, PEOPLE, POINTS
from .models import (
    Attempt,
    AttemptItem,
    Contest,
    ContestRound,
    ContestTeam,
    Exam,
    Grade,
    KnowledgePoint,
    MultiRule,
    Paper,
    PaperItem,
    Question,
    QuestionKind,
    QuestionVersion,
)
from .scoring import final_open_score, needs_third_grade, score_objective
from .services.exams import new_codes
from .services.grading import recompute_attempt
from .services.papers import draw

SEED = 2018
K = QuestionKind
S = Question.Source
TZ = timezone.get_default_timezone()
EXAM_START = dt.datetime(2018, 5, 15, 9, 0, tzinfo=TZ)
CONTEST_START = dt.datetime(2018, 9, 20, 14, 0, tzinfo=TZ)
GRADERS = [("grader02", "孙丽华"), ("grader03", "金卫东")]
CANDIDATES = 120
LETTERS = content.OPTION_KEYS


def _quoted(name: str) -> str:
    return name if name.startswith("“") else f"“{name}”"


def _options(right: list[str], wrong: list[str], rng: random.Random) -> tuple[list[dict], list]:
    texts = [(t, True) for t in right] + [(t, False) for t in wrong]
    rng.shuffle(texts)
    options = [{"key": LETTERS[i], "text": t} for i, (t, _) in enumerate(texts)]
    return options, [LETTERS[i] for i, (_, ok) in enumerate(texts) if ok]


class _Bank:
    """Builds the (question, version) rows of every knowledge point; touches no database."""

    def __init__(self, rng: random.Random, matters: dict[str, Matter]):
        self.rng = rng
        self.matters = matters
        self.rows: list[dict] = []

    def add(
        self, point: int, kind: str, stem: str, config: dict, source: str, base: int, *, matter=None
    ) -> None:
        difficulty = min(5, max(1, base + self.rng.choice((-1, 0, 0, 1))))
        self.rows.append(
            {
                "point": point,
                "kind": kind,
                "stem": stem,
                "config": content.clean_config(kind, config),
                "source": source,
                "difficulty": difficulty,
                "matter": matter,
            }
        )

    def materials(self, spec: dict) -> tuple[list[str], Matter | None]:
        matter = self.matters.get(spec["matter"])
        if matter is not None:
            names = [m.name for m in matter.materials.all() if m.requirement == "required"]
            if len(names) >= 2:
                return names[:8], matter
        return spec["materials"], matter

    def point(self, index: int, spec: dict) -> None:
        rng = self.rng
        for question, right, wrong in spec["facts"]:
            options, key = _options([right], wrong, rng)
            self.add(
                index, K.SINGLE, question, {"options": options, "answer": key}, S.REGULATION, 2
            )
        statements = [(f"{q.rstrip('？')}：{r}", True) for q, r, _ in spec["facts"]] + [
            (f"{q.rstrip('？')}：{w[0]}", False) for q, _, w in spec["facts"]
        ]
        for n in range(2):
            picked = rng.sample(statements, min(4, len(statements)))
            if not any(ok for _, ok in picked) or len(picked) < 2:
                picked = statements[:2]
            options, key = _options(
                [t for t, ok in picked if ok], [t for t, ok in picked if not ok], rng
            )
            stem = f"关于{_quoted(spec['name'])}，下列说法正确的有？（不定项）"
            self.add(
                index,
                K.MULTIPLE,
                stem,
                {"options": options, "answer": key},
                (S.REGULATION, S.TYPICAL_CASE)[n],
                3,
            )
        template, blanks = spec["template"]
        self.add(
            index,
            K.FILL,
            f"请补全下列材料模版（{spec['name']}）。",
            {"template": template, "blanks": blanks},
            S.REGULATION,
            3,
        )
        passage, errors = spec["passage"]
        errors = [{"wrong": w, "right": [r]} for w, r in errors]
        self.add(
            index,
            K.CORRECTION,
            f"下面关于{_quoted(spec['name'])}的说明中有 {len(errors)} 处错误，"
            "请找出错误原文并改正。",
            {"passage": passage, "marked": False, "errors": errors},
            S.WINDOW_PROBLEM,
            4,
        )
        marked = passage
        for i, error in enumerate(errors):
            marked = marked.replace(error["wrong"], f"{error['wrong']}【{'①②③④'[i]}】", 1)
        self.add(
            index,
            K.CORRECTION,
            "下面的说明中标出了错处，请逐处改正。",
            {"passage": marked, "marked": True, "errors": errors},
            S.WINDOW_PROBLEM,
            3,
        )
        prompt, rubric = spec["open"]
        self.add(index, K.OPEN, prompt, {"rubric": rubric}, S.TYPICAL_CASE, 4)
        self.add(
            index,
            K.OPEN,
            f"结合窗口工作实际，谈谈在{_quoted(spec['name'])}中如何落实“最多跑一次”要求。",
            {"rubric": "一次性告知；减材料减环节；网办掌办；帮办代办；举例具体"},
            S.TYPICAL_CASE,
            3,
        )
        if spec["matter"]:
            self.matter_questions(index, spec)

    def matter_questions(self, index: int, spec: dict) -> None:
        rng = self.rng
        materials, matter = self.materials(spec)
        name = spec["matter"]
        days = spec["days"]
        choices = sorted({days, days + 2, max(0, days - 1) if days else 3, days + 5})
        while len(choices) < 4:
            choices.append(choices[-1] + 3)
        label = ["即办（当场办结）" if d == 0 else f"{d} 个工作日" for d in choices[:4]]
        options, key = _options(
            [label[choices.index(days)]], [t for t in label if t != label[choices.index(days)]], rng
        )
        self.add(
            index,
            K.SINGLE,
            f"“{name}”的承诺办结时限是？",
            {"options": options, "answer": key},
            S.REGULATION,
            2,
            matter=matter,
        )
        wrong = rng.sample(materials, min(3, len(materials)))
        options, key = _options([rng.choice(spec["distractors"])], wrong, rng)
        self.add(
            index,
            K.SINGLE,
            f"办理“{name}”时，下列哪一项不是必需提交的材料？",
            {"options": options, "answer": key},
            S.WINDOW_PROBLEM,
            2,
            matter=matter,
        )
        for n in range(3):
            right = rng.sample(materials, rng.randint(2, len(materials)))
            wrong = rng.sample(spec["distractors"], min(2, len(spec["distractors"])))
            options, key = _options(right, wrong, rng)
            self.add(
                index,
                K.MULTIPLE,
                f"群众办理“{name}”，下列材料中哪些需要提交？（不定项）",
                {"options": options, "answer": key},
                (S.TYPICAL_CASE, S.WINDOW_PROBLEM, S.TYPICAL_CASE)[n],
                3,
                matter=matter,
            )
        blanks = [[m] for m in materials[:3]]
        template = f"“{name}”申请材料清单\n" + "\n".join(
            f"{i}. {{{{{i}}}}}" for i in range(1, len(blanks) + 1)
        )
        self.add(
            index,
            K.FILL,
            f"请根据办事指南补全“{name}”的材料清单（前三项）。",
            {"template": template, "blanks": blanks},
            S.WINDOW_PROBLEM,
            3,
            matter=matter,
        )
        for person, situation in rng.sample(PEOPLE, 3):
            options, key = _options(materials, spec["distractors"], rng)
            stem = (
                f"{person}{situation}，要办理“{name}”。请从下列材料中选出窗口应一次性告知"
                f"{person}准备的全部材料。"
            )
            self.add(
                index,
                K.SCENARIO,
                stem,
                {"options": options, "answer": key, "matter_name": name},
                rng.choice((S.WINDOW_PROBLEM, S.TYPICAL_CASE)),
                3,
                matter=matter,
            )


def _knowledge_points() -> list[KnowledgePoint]:
    domains = KnowledgePoint.objects.bulk_create(
        KnowledgePoint(name=name, description=note, order=i + 1)
        for i, (name, note) in enumerate(DOMAINS)
    )
    order: dict[int, int] = {}
    leaves = []
    for spec in POINTS:
        order[spec["domain"]] = order.get(spec["domain"], 0) + 1
        leaves.append(
            KnowledgePoint(
                parent=domains[spec["domain"]],
                name=spec["name"],
                order=order[spec["domain"]],
                description=spec["dept"],
            )
        )
    return KnowledgePoint.objects.bulk_create(leaves)


def _questions(rng: random.Random, points: list[KnowledgePoint], author) -> list[Question]:
    names = [p["matter"] for p in POINTS if p["matter"]]
    matters = {
        m.name: m for m in Matter.objects.filter(name__in=names).prefetch_related("materials")
    }
    bank = _Bank(rng, matters)
    for index, spec in enumerate(POINTS):
        bank.point(index, spec)
    questions = Question.objects.bulk_create(
        Question(
            code=f"TK{i:05d}",
            kind=row["kind"],
            difficulty=row["difficulty"],
            source=row["source"],
            matter=row["matter"],
            author=author,
        )
        for i, row in enumerate(bank.rows, start=1)
    )
    versions = QuestionVersion.objects.bulk_create(
        QuestionVersion(
            question=q, number=1, stem=row["stem"], config=row["config"], created_by=author
        )
        for q, row in zip(questions, bank.rows, strict=True)
    )
    for q, v in zip(questions, versions, strict=True):
        q.current_version = v
    Question.objects.bulk_update(questions, ["current_version"])
    Through = Question.knowledge_points.through
    Through.objects.bulk_create(
        Through(question_id=q.pk, knowledgepoint_id=points[row["point"]].pk)
        for q, row in zip(questions, bank.rows, strict=True)
    )
    for q, row in zip(questions, bank.rows, strict=True):
        q.point_index = row["point"]
    return questions


# -- simulated candidates ---------------------------------------------------------------------


def _p_right(ability: float, difficulty: int) -> float:
    return 1 / (1 + math.exp(-1.5 * (ability - (difficulty - 3) * 0.6 + 0.5)))


def _answer(kind: str, config: dict, ability: float, difficulty: int, rng: random.Random):
    """A plausible answer of a candidate of `ability` (a standard normal draw)."""
    p = _p_right(ability, difficulty)
    if rng.random() < 0.02:
        return None
    if kind == K.SINGLE:
        keys = [o["key"] for o in config["options"]]
        return config["answer"][0] if rng.random() < p else rng.choice(keys)
    if kind in (K.MULTIPLE, K.SCENARIO):
        keys = [o["key"] for o in config["options"]]
        right = set(config["answer"])
        chosen = {k for k in right if rng.random() < p + 0.15}
        chosen |= {k for k in keys if k not in right and rng.random() < (1 - p) * 0.35}
        return sorted(chosen) or [rng.choice(keys)]
    if kind == K.FILL:
        return [b[0] if rng.random() < p else "" for b in config["blanks"]]
    if kind == K.CORRECTION:
        errors = config["errors"]
        if config["marked"]:
            return [e["right"][0] if rng.random() < p else "不清楚" for e in errors]
        pairs = []
        for e in errors:
            roll = rng.random()
            if roll < p:
                pairs.append({"wrong": e["wrong"], "right": e["right"][0]})
            elif roll < p + 0.2:
                pairs.append({"wrong": e["wrong"], "right": "（未改对）"})
        return pairs or None
    rubric = [r for r in config.get("rubric", "").split("；") if r]
    covered = [r for r in rubric if rng.random() < p + 0.1] or rubric[:1]
    lines = [
        f"{OPENERS[i % len(OPENERS)]}{r}方面，我会按规定落实，做到耐心细致、一次讲清。"
        for i, r in enumerate(covered)
    ]
    return "".join(lines)


OPENERS = ["首先，在", "其次，在", "再次，在", "同时，在", "最后，在"]


def _open_grades(answer: str, rubric: str, points: Decimal, rng: random.Random) -> list[Decimal]:
    """Three graders' scores around the share of the rubric the answer covers."""
    items = [r for r in rubric.split("；") if r]
    covered = sum(1 for r in items if r in (answer or ""))
    true = float(points) * (0.15 + 0.85 * covered / max(1, len(items)))

    def one(noise: float) -> Decimal:
        value = min(float(points), max(0.0, true + rng.gauss(0, noise)))
        return Decimal(str(round(value * 2) / 2)).quantize(Decimal("0.01"))

    return [one(1.0), one(1.0), one(0.5)]


def _exam_paper(questions: list[Question], rng: random.Random, admin) -> Paper:
    """业务通办竞岗笔试: per knowledge point one 不定项 (2 pts); 5 fill-ins (4), 3 corrections (4)
    and 2 open statements (9): 100 points."""
    by_kind_point: dict[tuple[str, int], list[Question]] = {}
    for q in questions:
        by_kind_point.setdefault((q.kind, q.point_index), []).append(q)
    picks: list[tuple[Question, Decimal]] = []
    for index in range(len(POINTS)):
        picks.append((rng.choice(by_kind_point[(K.MULTIPLE, index)]), Decimal("2")))
    spread = rng.sample(range(len(POINTS)), 10)
    picks += [(by_kind_point[(K.FILL, i)][0], Decimal("4")) for i in spread[:5]]
    picks += [(by_kind_point[(K.CORRECTION, i)][0], Decimal("4")) for i in spread[5:8]]
    picks += [(by_kind_point[(K.OPEN, i)][0], Decimal("9")) for i in spread[8:10]]
    paper = Paper.objects.create(
        name="2018年业务通办竞岗笔试试卷",
        kind=Paper.Kind.FIXED,
        multi_rule=MultiRule.PARTIAL,
        description="以案例为背景，覆盖25个跨部门跨业务的高频知识点",
        created_by=admin,
    )
    PaperItem.objects.bulk_create(
        PaperItem(paper=paper, question=q, points=pts, order=i)
        for i, (q, pts) in enumerate(picks, start=1)
    )
    return paper


def _sit(
    exam: Exam,
    staff: list[Staff],
    rng: random.Random,
    *,
    start: dt.datetime,
    graders: list | None = None,
) -> list[Attempt]:
    """Every candidate starts, answers and submits; objective answers are scored and open ones
    graded blind by two (or three) of `graders`."""
    paper = exam.paper
    codes = new_codes(len(staff))
    attempts = Attempt.objects.bulk_create(
        Attempt(exam=exam, staff=s, code=c, status=Attempt.Status.SUBMITTED)
        for s, c in zip(staff, codes, strict=True)
    )
    versions = {}
    items = []
    for attempt in attempts:
        ability = rng.gauss(0.0, 1.0)
        began = start + dt.timedelta(seconds=rng.randint(0, 600))
        attempt.started_at = began
        attempt.deadline = min(exam.ends_at, began + dt.timedelta(minutes=exam.duration_minutes))
        used = rng.uniform(0.55, 1.05) * exam.duration_minutes
        attempt.auto_submitted = used >= exam.duration_minutes
        attempt.submitted_at = min(attempt.deadline, began + dt.timedelta(minutes=used))
        seed = (exam.pk, attempt.staff_id) if paper.draw_per_candidate else (exam.pk,)
        for d in draw(paper, random.Random(":".join(str(p) for p in ("draw", *seed)))):
            if d.version_id not in versions:
                versions[d.version_id] = QuestionVersion.objects.select_related("question").get(
                    pk=d.version_id
                )
            version = versions[d.version_id]
            config = version.config
            answer = content.clean_answer(
                d.kind, config, _answer(d.kind, config, ability, version.question.difficulty, rng)
            )
            score = score_objective(
                kind=d.kind,
                config=config,
                answer=answer,
                points=d.points,
                multi_rule=paper.multi_rule,
            )
            items.append(
                AttemptItem(
                    attempt=attempt,
                    question_id=d.question_id,
                    version_id=d.version_id,
                    kind=d.kind,
                    slot=d.slot,
                    order=d.slot,
                    points=d.points,
                    response=answer,
                    option_order=[o["key"] for o in config.get("options", [])],
                    saved_at=attempt.submitted_at,
                    score=score,
                )
            )
            items[-1].version_config = config
    Attempt.objects.bulk_update(
        attempts, ["started_at", "deadline", "auto_submitted", "submitted_at"]
    )
    configs = [i.version_config for i in items]
    items = AttemptItem.objects.bulk_create(items)
    for item, config in zip(items, configs, strict=True):
        item.version_config = config
    if graders:
        _grade(exam, items, graders, rng)
    for attempt in attempts:
        recompute_attempt(attempt)
    return attempts


def _grade(exam: Exam, items: list[AttemptItem], graders: list, rng: random.Random) -> None:
    rows, settled = [], []
    for item in items:
        if item.score is not None:
            continue
        first, second, third = rng.sample(graders, 3)
        rubric = item.version_config.get("rubric", "")
        g1, g2, g3 = _open_grades(item.response, rubric, item.points, rng)
        when = item.attempt.submitted_at + dt.timedelta(days=1, minutes=rng.randint(0, 300))
        rows += [
            Grade(item=item, grader=first, round=1, score=g1, graded_at=when),
            Grade(item=item, grader=second, round=2, score=g2, graded_at=when),
        ]
        gap = item.points * exam.grading_gap / 100
        scores = [g1, g2]
        if needs_third_grade(g1, g2, gap=gap):
            rows.append(
                Grade(
                    item=item,
                    grader=third,
                    round=3,
                    score=g3,
                    graded_at=when + dt.timedelta(hours=3),
                )
            )
            scores.append(g3)
        item.score = final_open_score(scores, points=item.points, gap=gap)
        settled.append(item)
    Grade.objects.bulk_create(rows)
    AttemptItem.objects.bulk_update(settled, ["score"])


def _graders(admin) -> list:
    users = get_user_model()
    existing = set(
        users.objects.filter(username__in=[u for u, _ in GRADERS]).values_list(
            "username", flat=True
        )
    )
    for username, name in GRADERS:
        if username not in existing:
            create_account(
                actor=None,
                username=username,
                password=DEMO_PASSWORD,
                display_name=name,
                roles=[Role.GRADER],
            )
    return list(
        users.objects.filter(username__in=["grader01", *[u for u, _ in GRADERS]]).order_by(
            "username"
        )
    )


def _competition(questions, rng, admin, graders) -> Exam:
    paper = _exam_paper(questions, rng, admin)
    exam = Exam.objects.create(
        title="2018年业务通办竞岗笔试",
        purpose=Exam.Purpose.COMPETITION,
        paper=paper,
        starts_at=EXAM_START,
        ends_at=EXAM_START + dt.timedelta(hours=2),
        duration_minutes=90,
        status=Exam.Status.PUBLISHED,
        published_at=EXAM_START + dt.timedelta(days=3),
        created_by=admin,
    )
    exam.graders.set(graders)
    pool = list(
        in_post_on(EXAM_START.date())
        .filter(employment_type=Staff.EmploymentType.TEMPORARY, hire_date__lt=dt.date(2018, 5, 1))
        .order_by("staff_no")
    )
    linked = [s for s in pool if s.user_id]
    others = [s for s in pool if not s.user_id]
    staff = linked + rng.sample(others, min(len(others), CANDIDATES - len(linked)))
    _sit(exam, sorted(staff, key=lambda s: s.staff_no), rng, start=EXAM_START, graders=graders)
    return exam


CONTEST_DEPARTMENTS = [
    "不动产登记",
    "市场监管",
    "人力社保",
    "公安交警",
    "税务",
    "公积金",
    "医保",
    "民政",
]


def _contest(rng, admin) -> Contest:
    contest = Contest.objects.create(
        name="2018年窗口技能大比武",
        team_basis=Contest.TeamBasis.DEPARTMENT,
        created_by=admin,
        description="以“一件事”办事指南为重点，题目来自各窗口的难点问题和典型案例",
    )
    members = []
    for department in Department.objects.filter(name__in=CONTEST_DEPARTMENTS).order_by("code"):
        staff = list(
            in_post_on(CONTEST_START.date()).filter(department=department).order_by("staff_no")
        )
        if len(staff) < 2:
            continue
        team = ContestTeam.objects.create(
            contest=contest, name=department.name, department=department
        )
        chosen = rng.sample(staff, min(4, len(staff)))
        team.members.set(chosen)
        members += chosen
    paper = Paper.objects.create(
        name="2018年窗口技能大比武 · 第一轮",
        kind=Paper.Kind.BLUEPRINT,
        multi_rule=MultiRule.HALF,
        shuffle_options=True,
        created_by=admin,
    )
    paper.rules.create(kind=K.SCENARIO, count=5, points=Decimal("5"), order=1)
    paper.rules.create(
        kind=K.MULTIPLE,
        count=5,
        points=Decimal("5"),
        order=2,
        sources=[S.TYPICAL_CASE, S.WINDOW_PROBLEM],
    )
    exam = Exam.objects.create(
        title="2018年窗口技能大比武 · 第一轮 虚拟办事场景",
        purpose=Exam.Purpose.CONTEST,
        paper=paper,
        starts_at=CONTEST_START,
        ends_at=CONTEST_START + dt.timedelta(minutes=30),
        duration_minutes=20,
        status=Exam.Status.PUBLISHED,
        published_at=CONTEST_START + dt.timedelta(hours=1),
        created_by=admin,
    )
    ContestRound.objects.create(contest=contest, name="第一轮 虚拟办事场景", order=1, exam=exam)
    _sit(exam, sorted(members, key=lambda s: s.staff_no), rng, start=CONTEST_START)
    return contest


def load() -> None:
    rng = random.Random(SEED)  # noqa: S311 (demo data)
    admin = get_user_model().objects.filter(username="admin").first()
    points = _knowledge_points()
    questions = _questions(rng, points, admin)
    graders = _graders(admin)
    exam = _competition(questions, rng, admin, graders)
    contest = _contest(rng, admin)
    audit.record(
        actor=None,
        action="demo.load",
        object_type="exams",
        after={
            "knowledge_points": len(points),
            "questions": len(questions),
            "exam": exam.title,
            "candidates": exam.attempts.count(),
            "contest": contest.name,
            "teams": contest.teams.count(),
        },
    )
