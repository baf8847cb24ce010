"""Access to exams: the center admin keeps the bank, papers, exams and contests; a candidate
(clerk01, whose attempt `{attempt}` is) sits their own exam, nobody else's; graders grade what
is assigned to them; the contest board is public."""

from .matrix import ALL_SIGNED_IN, CA, CLERK, DH, GRADER, LOBBY, Access

ADMIN = frozenset({CA})
OWN = frozenset({CLERK})  # clerk01 is the candidate of `{attempt}`; others get 404
E = "/api/v1/exams"
QUESTION = {
    "kind": "single",
    "stem": "题干",
    "config": {},
    "source": "bank",
    "knowledge_point_ids": ["{point}"],
}
EXAM = {
    "title": "新考试",
    "paper_id": "{paper}",
    "starts_at": "2030-01-01T09:00:00+08:00",
    "ends_at": "2030-01-01T11:00:00+08:00",
    "duration_minutes": 60,
}


def _admin(method: str, path: str, url_name: str = "", **kwargs) -> Access:
    return Access(method, path, ADMIN, url_name=url_name, **kwargs)


ACCESS: list[Access] = [
    # the candidate
    Access("GET", "/exams/", ALL_SIGNED_IN, url_name="exams:my_exams"),
    Access("GET", "/exams/my/{attempt}/", OWN, denied=404, url_name="exams:my_result"),
    Access(
        "POST",
        "/exams/my/{attempt}/start/",
        OWN,
        ok=302,
        denied=404,
        url_name="exams:attempt_start",
    ),
    Access("GET", "/exams/my/{attempt}/sit/", OWN, ok=302, denied=404, url_name="exams:sit"),
    Access(
        "POST",
        "/exams/my/{attempt}/submit/",
        OWN,
        ok=302,
        denied=404,
        url_name="exams:attempt_submit",
    ),
    Access("GET", "/exams/mastery/", frozenset({CA, DH, CLERK, LOBBY}), url_name="exams:mastery"),
    # contests
    _admin("GET", "/exams/contests/", "exams:contest_list"),
    _admin("GET", "/exams/contests/{contest}/", "exams:contest_detail"),
    Access(
        "GET",
        "/exams/contest/{contest}/board/",
        ALL_SIGNED_IN,
        anonymous=200,
        url_name="exams:contest_board",
    ),
    Access(
        "GET",
        "/exams/contest/{contest}/board/live/",
        ALL_SIGNED_IN,
        anonymous=200,
        url_name="exams:contest_board_live",
    ),
    # managing exams
    _admin("GET", "/exams/manage/", "exams:exam_list"),
    _admin("GET", "/exams/manage/new/", "exams:exam_create"),
    _admin("GET", "/exams/manage/{exam}/", "exams:exam_detail"),
    _admin("POST", "/exams/manage/{exam}/do/close/", "exams:exam_action", ok=302),
    _admin("GET", "/exams/manage/{exam}/analysis/", "exams:exam_analysis"),
    _admin(
        "POST",
        "/exams/manage/{exam}/candidates/",
        "exams:exam_candidates",
        ok=302,
        data={"staff": ["{staff_a2}"]},
    ),
    _admin(
        "POST",
        "/exams/manage/{exam}/graders/",
        "exams:exam_graders",
        ok=302,
        data={"graders": ["{judge}"]},
    ),
    _admin("GET", "/exams/manage/{exam}/candidates/pick/", "exams:exam_candidates_pick"),
    _admin(
        "POST",
        "/exams/manage/{exam}/candidates/list/",
        "exams:exam_candidates_list",
        ok=302,
        data={"numbers": "CK404"},  # unknown: a message, nothing written
    ),
    _admin("GET", "/exams/manage/{exam}/regrade/", "exams:exam_regrade"),
    _admin("GET", "/exams/manage/{exam}/results/", "exams:exam_results"),
    _admin("GET", "/exams/manage/{exam}/results/{attempt}/", "exams:attempt_review"),
    # grading: grader01 grades the exam, but no answer is assigned to them yet
    Access("GET", "/exams/grading/", frozenset({GRADER}), url_name="exams:grading_queue"),
    Access(
        "GET",
        "/exams/grading/{grade}/",
        frozenset({GRADER}),
        ok=404,
        url_name="exams:grade_answer",
    ),
    # the bank and papers
    _admin("GET", "/exams/papers/", "exams:paper_list"),
    _admin("GET", "/exams/papers/{paper}/", "exams:paper_detail"),
    _admin(  # the paper is in use by an open exam: 404 for the admin too
        "POST", "/exams/papers/{paper}/items/{paper_item}/remove/", "exams:paper_remove", ok=404
    ),
    _admin("GET", "/exams/points/", "exams:point_list"),
    _admin("GET", "/exams/questions/", "exams:question_list"),
    _admin("GET", "/exams/questions/new/", "exams:question_create"),
    _admin("GET", "/exams/questions/{question}/", "exams:question_detail"),
    _admin("GET", "/exams/questions/{question}/edit/", "exams:question_edit"),
    _admin("POST", "/exams/questions/{question}/toggle/", "exams:question_toggle", ok=302),
    _admin("GET", "/exams/questions/import/", "exams:question_import"),
    _admin("GET", "/exams/questions/import/template.xlsx", "exams:question_import_template"),
    # API (400: the admin gets past the check, the body or state is refused)
    Access("GET", E + "/knowledge-points", ALL_SIGNED_IN),
    _admin("GET", E + "/questions"),
    _admin("GET", E + "/questions/{question}"),
    _admin("POST", E + "/questions", ok=400, data=QUESTION),
    _admin("PUT", E + "/questions/{question}", ok=400, data={**QUESTION, "difficulty": 3}),
    Access("GET", E + "/exams", ALL_SIGNED_IN),  # only the exams one may see
    _admin("POST", E + "/exams", ok=201, data=EXAM),
    _admin("POST", E + "/exams/{exam}/candidates", data={"staff_ids": ["{staff_a2}"]}),
    _admin("POST", E + "/exams/{exam}/open", ok=400),  # already open
    _admin("POST", E + "/exams/{exam}/close"),
    _admin("POST", E + "/exams/{exam}/publish", ok=400),  # not closed yet
    _admin("POST", E + "/exams/{exam}/regrade", ok=400, data={"question_id": "{question}"}),
    _admin("GET", E + "/exams/{exam}/analysis"),
    _admin("GET", E + "/exams/{exam}/scores"),
    Access("GET", E + "/my/exams", ALL_SIGNED_IN),
    Access("POST", E + "/attempts/{attempt}/start", OWN, denied=404),
    Access("GET", E + "/attempts/{attempt}", OWN, denied=404),
    Access(  # not started: no item yet, 404 for the candidate too
        "PUT",
        E + "/attempts/{attempt}/items/{item}",
        OWN,
        ok=404,
        denied=404,
        data={"response": "A"},
    ),
    Access("POST", E + "/attempts/{attempt}/submit", OWN, ok=409, denied=404),  # not started
    Access(  # results not published yet
        "GET", E + "/attempts/{attempt}/result", OWN, ok=403, denied=404
    ),
    Access("GET", E + "/grading/tasks", ALL_SIGNED_IN),  # only one's own tasks
    Access(
        "PUT",
        E + "/grading/tasks/{grade}",
        frozenset({GRADER}),
        ok=404,
        denied=404,
        data={"score": 5},
    ),
    Access("GET", E + "/contests/{contest}/board", ALL_SIGNED_IN, anonymous=200),
]
