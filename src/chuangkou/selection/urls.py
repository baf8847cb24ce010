from django.urls import path

from .views import candidates, competitions, judging, public, results

app_name = "selection"
urlpatterns = [
    path("", competitions.competition_list, name="competition_list"),
    path("new/", competitions.competition_create, name="competition_create"),
    path("<id:pk>/", competitions.competition_detail, name="competition_detail"),
    path("<id:pk>/edit/", competitions.competition_edit, name="competition_edit"),
    path("<id:pk>/tiers/", competitions.tiers_edit, name="tiers_edit"),
    path("<id:pk>/judges/", competitions.judges_edit, name="judges_edit"),
    path("<id:pk>/step/<slug:step>/", competitions.competition_step, name="competition_step"),
    path("<id:pk>/reopen/", competitions.competition_reopen, name="competition_reopen"),
    path("<id:pk>/candidates/", candidates.candidates, name="candidates"),
    path("<id:pk>/candidates/register/", candidates.candidate_register, name="candidate_register"),
    path(
        "<id:pk>/candidates/<id:candidate_id>/withdraw/",
        candidates.candidate_withdraw,
        name="candidate_withdraw",
    ),
    path(
        "<id:pk>/candidates/<id:candidate_id>/written/",
        candidates.written_score,
        name="written_score",
    ),
    path("<id:pk>/written/import/", candidates.written_import, name="written_import"),
    path("<id:pk>/written/template.xlsx", candidates.written_template, name="written_template"),
    path("<id:pk>/written/from-exam/", candidates.written_from_exam, name="written_from_exam"),
    path("<id:pk>/finished/import/", candidates.finished_import, name="finished_import"),
    path("<id:pk>/finished/template.xlsx", candidates.finished_template, name="finished_template"),
    path("<id:pk>/ranking/", results.ranking, name="ranking"),
    path("<id:pk>/ties/", results.tie_resolve, name="tie_resolve"),
    path("<id:pk>/publish/", results.publish, name="publish"),
    path("<id:pk>/objections/", results.objections, name="objections"),
    path(
        "<id:pk>/objections/<id:objection_id>/handle/",
        results.objection_handle,
        name="objection_handle",
    ),
    path("judge/", judging.judge_home, name="judge_home"),
    path("judge/<id:pk>/", judging.judge_sheet, name="judge_sheet"),
    path("judge/<id:pk>/score/<id:candidate_id>/", judging.judge_score, name="judge_score"),
    path("notice/", public.notice_list, name="notice_list"),
    path("notice/<id:pk>/", public.notice_detail, name="notice_detail"),
    path("notice/<id:pk>/objection/", public.objection_submit, name="objection_submit"),
    path("my-objections/", public.my_objections, name="my_objections"),
]
