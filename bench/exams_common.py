"""Shared set-up of the exams benchmarks: a throw-away data folder (SQLite) or database
(PostgreSQL when DATABASE_URL is set), the migrations, and an exam of N candidates × Q questions.

Not a test: run the exams_*.py scripts beside it.
"""

import datetime as dt
import os
import shutil
import statistics
import sys
import tempfile
import uuid
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
UNUSABLE = "!"  # noqa: S105 (no password: the benchmark signs in by session)
KINDS = ["single", "multiple", "fill", "correction", "scenario"]


def prepare_environment() -> tuple[Path, str | None]:
    """A fresh data folder; with DATABASE_URL a fresh PostgreSQL database beside the given one."""
    data_dir = Path(tempfile.mkdtemp(prefix="ck-exams-bench-"))
    os.environ["CHUANGKOU_DATA_DIR"] = str(data_dir)
    os.environ.setdefault("SECURE_COOKIES", "0")
    created_db = None
    url = os.environ.get("DATABASE_URL")
    if url:
        import psycopg

        base, _, _ = url.rpartition("/")
        created_db = f"ck_exams_bench_{uuid.uuid4().hex[:8]}"
        with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{created_db}"')
        os.environ["DATABASE_URL"] = f"{base}/{created_db}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "chuangkou.settings")
    sys.path.insert(0, str(ROOT / "src"))
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    return data_dir, created_db


def cleanup(data_dir: Path, created_db: str | None) -> None:
    from django.db import connections

    connections.close_all()
    shutil.rmtree(data_dir, ignore_errors=True)
    if created_db:
        import psycopg

        base, _, _ = os.environ["DATABASE_URL"].rpartition("/")
        with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{created_db}" WITH (FORCE)')


def make_exam(*, candidates: int, questions: int, with_users: bool, minutes: int = 120):
    """An open exam of `questions` objective questions (plus one open question when there are
    10 or more) for `candidates` new staff; returns (exam, [staff])."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group
    from django.utils import timezone
    from tests.exams.factories import CONFIGS

    from chuangkou.exams.models import (
        Attempt,
        Exam,
        KnowledgePoint,
        Paper,
        PaperItem,
        Question,
        QuestionVersion,
    )
    from chuangkou.exams.services.exams import new_codes
    from chuangkou.org.models import Center, Department, Region, Staff

    tag = uuid.uuid4().hex[:6]
    region, _ = Region.objects.get_or_create(
        code="330103", defaults={"name": "下城区", "city": "杭州市"}
    )
    center, _ = Center.objects.get_or_create(
        name="下城区行政服务中心", defaults={"region": region, "kind": "main"}
    )
    dept, _ = Department.objects.get_or_create(
        code="BENCH", defaults={"region": region, "name": "基准测试"}
    )
    point = KnowledgePoint.objects.create(name=f"基准{tag}")
    kinds = [KINDS[i % len(KINDS)] for i in range(questions)]
    if questions >= 10:
        kinds[-1] = "open"
    qs = Question.objects.bulk_create(
        Question(code=f"B{tag}{i:04d}", kind=k, difficulty=3, source="regulation")
        for i, k in enumerate(kinds)
    )
    versions = QuestionVersion.objects.bulk_create(
        QuestionVersion(question=q, number=1, stem=CONFIGS[q.kind][0], config=CONFIGS[q.kind][1])
        for q in qs
    )
    for q, v in zip(qs, versions, strict=True):
        q.current_version = v
    Question.objects.bulk_update(qs, ["current_version"])
    Question.knowledge_points.through.objects.bulk_create(
        Question.knowledge_points.through(question_id=q.pk, knowledgepoint_id=point.pk) for q in qs
    )
    paper = Paper.objects.create(name=f"基准试卷{tag}")
    PaperItem.objects.bulk_create(
        PaperItem(paper=paper, question=q, points=Decimal(1), order=i) for i, q in enumerate(qs)
    )
    now = timezone.now()
    exam = Exam.objects.create(
        title=f"基准考试{tag}",
        paper=paper,
        status="open",
        starts_at=now - dt.timedelta(minutes=1),
        ends_at=now + dt.timedelta(minutes=minutes),
        duration_minutes=minutes,
    )
    users = [None] * candidates
    if with_users:
        User = get_user_model()
        users = User.objects.bulk_create(
            User(username=f"b{tag}{i:04d}", password=UNUSABLE) for i in range(candidates)
        )
        clerk = Group.objects.get(name="clerk")
        User.groups.through.objects.bulk_create(
            User.groups.through(user_id=u.pk, group_id=clerk.pk) for u in users
        )
    staff = Staff.objects.bulk_create(
        Staff(
            staff_no=f"B{tag}{i:04d}",
            name=f"考生{i}",
            gender="F",
            employment_type="temporary",
            department=dept,
            center=center,
            hire_date=dt.date(2017, 1, 1),
            user=u,
        )
        for i, u in enumerate(users)
    )
    codes = new_codes(candidates)
    Attempt.objects.bulk_create(
        Attempt(exam=exam, staff=s, code=c) for s, c in zip(staff, codes, strict=True)
    )
    return exam, staff


def answer_for(kind: str):
    from tests.exams.test_services import ANSWERS

    return ANSWERS[kind]


def median_ms(values: list[float]) -> float:
    return statistics.median(values) * 1000


def p95_ms(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * 0.95))] * 1000


def p99_ms(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))] * 1000
