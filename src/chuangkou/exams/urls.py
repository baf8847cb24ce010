from django.urls import path

from .views import bank, candidate, contest, grading, manage

app_name = "exams"
urlpatterns = [
    path("", candidate.my_exams, name="my_exams"),
    path("my/<id:pk>/start/", candidate.attempt_start, name="attempt_start"),
    path("my/<id:pk>/sit/", candidate.sit, name="sit"),
    path("my/<id:pk>/submit/", candidate.attempt_submit, name="attempt_submit"),
    path("my/<id:pk>/", candidate.my_result, name="my_result"),
    path("questions/", bank.question_list, name="question_list"),
    path("questions/new/", bank.question_create, name="question_create"),
    path("questions/import/", bank.question_import, name="question_import"),
    path(
        "questions/import/template.xlsx",
        bank.question_import_template,
        name="question_import_template",
    ),
    path("questions/<id:pk>/", bank.question_detail, name="question_detail"),
    path("questions/<id:pk>/edit/", bank.question_edit, name="question_edit"),
    path("questions/<id:pk>/toggle/", bank.question_toggle, name="question_toggle"),
    path("points/", bank.point_list, name="point_list"),
    path("papers/", manage.paper_list, name="paper_list"),
    path("papers/<id:pk>/", manage.paper_detail, name="paper_detail"),
    path("papers/<id:pk>/<str:what>/<id:row>/remove/", manage.paper_remove, name="paper_remove"),
    path("manage/", manage.exam_list, name="exam_list"),
    path("manage/new/", manage.exam_create, name="exam_create"),
    path("manage/<id:pk>/", manage.exam_detail, name="exam_detail"),
    path("manage/<id:pk>/candidates/", manage.exam_candidates, name="exam_candidates"),
    path(
        "manage/<id:pk>/candidates/list/",
        manage.exam_candidates_list,
        name="exam_candidates_list",
    ),
    path(
        "manage/<id:pk>/candidates/pick/",
        manage.exam_candidates_pick,
        name="exam_candidates_pick",
    ),
    path("manage/<id:pk>/graders/", manage.exam_graders, name="exam_graders"),
    path("manage/<id:pk>/results/", manage.exam_results, name="exam_results"),
    path("manage/<id:pk>/results/<id:attempt_pk>/", manage.attempt_review, name="attempt_review"),
    path("manage/<id:pk>/regrade/", manage.exam_regrade, name="exam_regrade"),
    path("manage/<id:pk>/analysis/", manage.exam_analysis, name="exam_analysis"),
    path("manage/<id:pk>/do/<str:action>/", manage.exam_action, name="exam_action"),
    path("grading/", grading.grading_queue, name="grading_queue"),
    path("grading/<id:pk>/", grading.grade_answer, name="grade_answer"),
    path("mastery/", grading.mastery, name="mastery"),
    path("contests/", contest.contest_list, name="contest_list"),
    path("contests/<id:pk>/", contest.contest_detail, name="contest_detail"),
    path("contest/<id:pk>/board/", contest.contest_board, name="contest_board"),
    path("contest/<id:pk>/board/live/", contest.contest_board_live, name="contest_board_live"),
]
