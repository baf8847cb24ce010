"""Pages: who gets in, bad input never a 500, forms show errors, the candidate page never shows
the key, Excel in and out."""

import io

import pytest
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from chuangkou.core.roles import Role
from chuangkou.exams.models import Attempt, Grade, Question, QuestionKind
from chuangkou.exams.services import sitting as sit

pytestmark = pytest.mark.django_db
K = QuestionKind
ADMIN_PAGES = [
    ("exams:question_list", ()),
    ("exams:question_create", ()),
    ("exams:question_import", ()),
    ("exams:question_import_template", ()),
    ("exams:question_detail", ("question",)),
    ("exams:question_edit", ("question",)),
    ("exams:point_list", ()),
    ("exams:paper_list", ()),
    ("exams:paper_detail", ("paper",)),
    ("exams:exam_list", ()),
    ("exams:exam_create", ()),
    ("exams:exam_detail", ("exam",)),
    ("exams:exam_results", ("exam",)),
    ("exams:attempt_review", ("exam", "attempt")),
    ("exams:exam_regrade", ("exam",)),
    ("exams:exam_analysis", ("exam",)),
    ("exams:contest_list", ()),
]


def _url(name, args, s):
    values = {
        "question": s.questions[K.SINGLE].pk,
        "paper": s.paper.pk,
        "exam": s.exam.pk,
        "attempt": s.attempt_a1.pk,
    }
    return reverse(name, args=[values[a] for a in args])


@pytest.mark.parametrize(("name", "args"), ADMIN_PAGES)
def test_admin_pages_access(sitting, client, client_as, role_user, name, args):
    url = _url(name, args, sitting)
    assert client.get(url).status_code == 302  # to the login page
    for user in (sitting.clerk_a1, sitting.head_a, sitting.graders[0], role_user(Role.AUDITOR)):
        assert client_as(user).get(url).status_code == 403, user
    assert client_as(sitting.admin).get(url).status_code == 200


def test_candidate_pages_access(sitting, client, client_as):
    for name in ("exams:attempt_start", "exams:sit", "exams:attempt_submit", "exams:my_result"):
        url = reverse(name, args=[sitting.attempt_a1.pk])
        posts = "start" in name or "submit" in name
        assert (client.post(url) if posts else client.get(url)).status_code == 302
        other = client_as(sitting.clerk_b1)
        response = other.post(url) if posts else other.get(url)
        assert response.status_code == 404, name
    assert client_as(sitting.clerk_a1).get(reverse("exams:my_exams")).status_code == 200


def test_grader_and_mastery_access(sitting, client, client_as):
    assert client.get(reverse("exams:grading_queue")).status_code == 302
    assert client_as(sitting.clerk_a1).get(reverse("exams:grading_queue")).status_code == 403
    assert client_as(sitting.graders[0]).get(reverse("exams:grading_queue")).status_code == 200
    assert client_as(sitting.graders[0]).get(reverse("exams:mastery")).status_code == 403
    for user in (sitting.clerk_a1, sitting.head_a, sitting.admin):
        assert client_as(user).get(reverse("exams:mastery")).status_code == 200


def test_sitting_page_autosave_data_and_no_key(sitting, client_as):
    client = client_as(sitting.clerk_a1)
    page = client.get(reverse("exams:my_exams")).content.decode()
    assert "开始考试" in page
    response = client.post(reverse("exams:attempt_start", args=[sitting.attempt_a1.pk]))
    assert response.status_code == 302 and response["Location"].endswith("/sit/")
    page = client.get(response["Location"]).content.decode()
    assert 'data-seconds-left="' in page and "/api/v1/exams/attempts/" in page
    for secret in ("五个工作日", "个人经营", "评分要点", "容缺受理的条件"):
        assert secret not in page
    attempt = Attempt.objects.get(pk=sitting.attempt_a1.pk)
    item = attempt.items.select_related("version").get(kind=K.SINGLE)
    sit.save_answer(actor=sitting.clerk_a1, attempt=attempt, item=item, response="C")
    page = client.get(reverse("exams:sit", args=[attempt.pk])).content.decode()
    assert 'value="C" checked' in page  # a reload restores the saved answer
    done = client.post(reverse("exams:attempt_submit", args=[attempt.pk]))
    assert done.status_code == 302
    result = client.get(done["Location"]).content.decode()
    assert "成绩发布后" in result and "答案：" not in result
    assert client.get(reverse("exams:sit", args=[attempt.pk])).status_code == 302


def test_bad_query_parameters_never_fail(sitting, client_as):
    admin = client_as(sitting.admin)
    for url in (
        reverse("exams:question_list") + "?kind=zz&difficulty=99&point=abc&page=zz&active=maybe",
        reverse("exams:exam_list") + "?status=x&page=-1",
        reverse("exams:exam_results", args=[sitting.exam.pk]) + "?department=abc&page=99",
        reverse("exams:mastery") + "?exam=abc&department=999999",
        reverse("exams:question_create") + "?kind=nonsense",
    ):
        assert admin.get(url).status_code == 200, url
    assert admin.get(reverse("exams:exam_detail", args=[999999])).status_code == 404
    assert (
        admin.post(reverse("exams:exam_action", args=[sitting.exam.pk, "explode"])).status_code
        == 404
    )
    assert (
        admin.get(reverse("exams:exam_action", args=[sitting.exam.pk, "open"])).status_code == 405
    )


def test_question_form_shows_errors_on_fields(sitting, client_as):
    admin = client_as(sitting.admin)
    url = reverse("exams:question_create") + "?kind=single"
    response = admin.post(
        url,
        {
            "kind": "single",
            "stem": "题干",
            "difficulty": 3,
            "source": "regulation",
            "knowledge_points": [sitting.point.pk],
            "options": "A. 一\nB. 二",
            "answer": "Z",
        },
    )
    assert response.status_code == 200
    assert "答案须是选项中的编号" in response.content.decode()
    ok = admin.post(
        url,
        {
            "kind": "single",
            "stem": "题干",
            "difficulty": 3,
            "source": "regulation",
            "knowledge_points": [sitting.point.pk],
            "options": "A. 一\nB. 二",
            "answer": "b",
        },
    )
    assert ok.status_code == 302
    question = Question.objects.latest("pk")
    assert question.current_version.config["answer"] == ["B"]


def test_edit_of_a_used_question_makes_version_two(sitting, client_as):
    sit.start_attempt(actor=sitting.clerk_a1, attempt=sitting.attempt_a1)
    q = sitting.questions[K.FILL]
    admin = client_as(sitting.admin)
    page = admin.get(reverse("exams:question_edit", args=[q.pk])).content.decode()
    assert "另存为新版本" in page
    response = admin.post(
        reverse("exams:question_edit", args=[q.pk]),
        {
            "stem": "新题干",
            "difficulty": 3,
            "source": "regulation",
            "knowledge_points": [sitting.point.pk],
            "template": "姓名：{{1}}",
            "answer": "张三",
            "note": "精简模版",
        },
    )
    assert response.status_code == 302
    assert q.versions.count() == 2
    detail = admin.get(reverse("exams:question_detail", args=[q.pk])).content.decode()
    assert "第 2 版" in detail and "精简模版" in detail


def _xlsx(rows, headers):
    wb = Workbook()
    ws = wb.active
    ws.append(headers)
    for row in rows:
        ws.append(row)
    buffer = io.BytesIO()
    wb.save(buffer)
    buffer.seek(0)
    buffer.name = "q.xlsx"
    return buffer


def test_export_then_import_round_trip_and_errors(sitting, client_as):
    admin = client_as(sitting.admin)
    exported = admin.get(reverse("exams:question_list") + "?export=xlsx")
    assert exported["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(exported.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    headers, body = list(rows[0]), [list(r) for r in rows[1:]]
    assert len(body) == 6
    for row in body:
        row[0] = None  # new codes
    before = Question.objects.count()
    broken = [list(r) for r in body]
    broken[0][1] = "判断题"
    broken[2][4] = "不存在的知识点"
    response = admin.post(reverse("exams:question_import"), {"file": _xlsx(broken, headers)})
    errors = {(e.row, e.column) for e in response.context["report"].errors}
    assert errors == {(2, "题型"), (4, "知识点")}
    assert "未导入：发现 2 处错误" in response.content.decode()
    assert Question.objects.count() == before  # nothing written
    response = admin.post(reverse("exams:question_import"), {"file": _xlsx(body, headers)})
    assert response.status_code == 302
    assert Question.objects.count() == before + 6
    not_xlsx = io.BytesIO(b"not a workbook")
    not_xlsx.name = "q.xlsx"
    response = admin.post(reverse("exams:question_import"), {"file": not_xlsx})
    assert "无法读取文件" in response.content.decode()


def test_grading_page_is_blind(sitting, client_as):
    sit.start_attempt(actor=sitting.clerk_a1, attempt=sitting.attempt_a1)
    attempt = Attempt.objects.get(pk=sitting.attempt_a1.pk)
    item = attempt.items.select_related("version").get(kind=K.OPEN)
    sit.save_answer(actor=sitting.clerk_a1, attempt=attempt, item=item, response="我会先受理。")
    sit.submit_attempt(actor=sitting.clerk_a1, attempt=attempt)
    grade = Grade.objects.get(round=1)
    client = client_as(grade.grader)
    page = client.get(reverse("exams:grade_answer", args=[grade.pk])).content.decode()
    assert attempt.code in page and "我会先受理。" in page and "甲一" not in page
    bad = client.post(reverse("exams:grade_answer", args=[grade.pk]), {"score": "12"})
    assert "评分应在 0 到 10.00 之间" in bad.content.decode()
    ok = client.post(reverse("exams:grade_answer", args=[grade.pk]), {"score": "8"})
    assert ok.status_code == 302
    other = Grade.objects.get(round=2)
    assert client.get(reverse("exams:grade_answer", args=[other.pk])).status_code == 404


def test_public_board_needs_no_login_and_masks_names(sitting, client):
    from chuangkou.exams.services import contest
    from chuangkou.org.models import Staff

    c = contest.create_contest(
        actor=sitting.admin, name="比武", staff=Staff.objects.select_related("department")
    )
    for name in ("exams:contest_board", "exams:contest_board_live"):
        response = client.get(reverse(name, args=[c.pk]))
        page = response.content.decode()
        assert response.status_code == 200 and "市场监管局" in page and "甲一" not in page
    assert client.get(reverse("exams:contest_board", args=[999])).status_code == 404
    assert client.post(reverse("exams:contest_board", args=[c.pk])).status_code == 405


def test_every_page_renders_with_the_demo(exams_demo, client_as):
    from django.contrib.auth import get_user_model

    from chuangkou.exams.models import Contest, Exam, Paper

    users = get_user_model().objects
    admin, clerk, grader, head = (
        users.get(username=u) for u in ("admin", "clerk01", "grader01", "depthead01")
    )
    exam = Exam.objects.get(purpose=Exam.Purpose.COMPETITION)
    attempt = exam.attempts.get(staff__user=clerk)
    question = Question.objects.get(code="TK00001")
    urls = [
        reverse("exams:question_list"),
        reverse("exams:question_list") + "?kind=scenario&point=7",
        reverse("exams:question_detail", args=[question.pk]),
        reverse("exams:question_edit", args=[question.pk]),
        reverse("exams:point_list"),
        reverse("exams:paper_list"),
        reverse("exams:paper_detail", args=[exam.paper_id]),
        reverse("exams:paper_detail", args=[Paper.objects.get(kind="blueprint").pk]),
        reverse("exams:exam_list"),
        reverse("exams:exam_detail", args=[exam.pk]),
        reverse("exams:exam_results", args=[exam.pk]),
        reverse("exams:attempt_review", args=[exam.pk, attempt.pk]),
        reverse("exams:exam_regrade", args=[exam.pk]),
        reverse("exams:exam_analysis", args=[exam.pk]),
        reverse("exams:exam_analysis", args=[exam.pk]) + "?export=xlsx",
        reverse("exams:exam_results", args=[exam.pk]) + "?export=xlsx",
        reverse("exams:mastery"),
        reverse("exams:contest_list"),
        reverse("exams:contest_detail", args=[Contest.objects.get().pk]),
    ]
    client = client_as(admin)
    for url in urls:
        assert client.get(url).status_code == 200, url
    mine = client_as(clerk)
    page = mine.get(reverse("exams:my_result", args=[attempt.pk])).content.decode()
    assert "答案：" in page and "总分" in page
    assert mine.get(reverse("exams:mastery")).status_code == 200
    assert client_as(head).get(reverse("exams:mastery")).status_code == 200
    assert client_as(grader).get(reverse("exams:grading_queue")).status_code == 200


def test_post_only_pages_access(sitting, client, client_as):
    from chuangkou.exams.services import contest
    from chuangkou.org.models import Staff

    c = contest.create_contest(
        actor=sitting.admin, name="比武", staff=Staff.objects.select_related("department")
    )
    item = sitting.paper.items.first()
    posts = [
        reverse("exams:question_toggle", args=[sitting.questions[K.SINGLE].pk]),
        reverse("exams:paper_remove", args=[sitting.paper.pk, "item", item.pk]),
        reverse("exams:exam_candidates", args=[sitting.exam.pk]),
        reverse("exams:exam_graders", args=[sitting.exam.pk]),
        reverse("exams:exam_action", args=[sitting.exam.pk, "close"]),
    ]
    for url in posts:
        assert client.post(url).status_code == 302, url
        assert client_as(sitting.clerk_a1).post(url).status_code == 403, url
        assert client_as(sitting.graders[0]).post(url).status_code == 403, url
    detail = reverse("exams:contest_detail", args=[c.pk])
    assert client.get(detail).status_code == 302
    assert client_as(sitting.clerk_a1).get(detail).status_code == 403
    assert client_as(sitting.admin).get(detail).status_code == 200
    # the paper is in an open exam: removing its item is refused with a message, not a 500
    response = client_as(sitting.admin).post(posts[1], follow=True)
    assert "不能再修改" in response.content.decode()
    exports = [reverse("exams:exam_list") + "?export=xlsx", detail + "?export=xlsx"]
    for url in exports:
        assert client_as(sitting.admin).get(url)["Content-Type"].startswith("application/vnd")
