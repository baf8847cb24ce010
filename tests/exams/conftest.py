import pytest


def load_exams_demo() -> float:
    """The demo parts this app stands on (core, org) and its own; returns the seconds its own
    part took. The whole demo in order is tests/test_demo.py's business."""
    import time

    from chuangkou.core import demo as core_demo
    from chuangkou.exams import demo
    from chuangkou.org import demo as org_demo

    core_demo.load()
    org_demo.load()
    started = time.perf_counter()
    demo.load()
    return time.perf_counter() - started


@pytest.fixture
def exams_demo(db):
    load_exams_demo()


@pytest.fixture
def graders(role_user):
    from chuangkou.core.roles import Role

    return [role_user(Role.GRADER, username=f"grader{n:02d}") for n in (1, 2, 3)]


@pytest.fixture
def sitting(org_small, graders):
    return build_sitting(org_small, graders)


def build_sitting(org_small, graders):
    """An open exam with one question of each kind (10 points each, partial credit) for
    a1 (clerk01) and b1 (clerk02), graded by three graders."""
    from chuangkou.exams.models import QuestionKind
    from chuangkou.org.models import Staff

    from .factories import KnowledgePointFactory, attempt_of, make_exam, make_paper, make_question

    domain = KnowledgePointFactory(name="服务规范与制度")
    point = KnowledgePointFactory(name="容缺受理", parent=domain)
    other = KnowledgePointFactory(name="企业开办一件事", parent=domain)
    questions = {
        kind: make_question(kind, points=[point if i % 2 else other])
        for i, kind in enumerate(QuestionKind.values)
    }
    paper = make_paper(questions.values())
    staff = Staff.objects.filter(pk__in=[org_small.a1.pk, org_small.b1.pk])
    exam = make_exam(paper, staff)
    exam.graders.set(graders)
    org_small.questions = questions
    org_small.point, org_small.other_point = point, other
    org_small.paper, org_small.exam = paper, exam
    org_small.attempt_a1 = attempt_of(exam, org_small.a1)
    org_small.attempt_b1 = attempt_of(exam, org_small.b1)
    org_small.graders = graders
    return org_small
