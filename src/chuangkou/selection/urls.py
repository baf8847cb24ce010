from django.urls import path

from .views import candidates, competitions, judging, public, results

app_name = "selection"
urlpatterns = [
    path("", competitions.competition_list, name="competition_list"),
    path("new/", competitions.competition_create, name="competition_create"),
    path("<int:pk>/", competitions.competition_detail, name="competition_detail"),
    path("<int:pk>/edit/", competitions.competition_edit, name="competition_edit"),
    path("<int:pk>/tiers/", competitions.tiers_edit, name="tiers_edit"),
    path("<int:pk>/judges/", competitions.judges_edit, name="judges_edit"),
    path("<int:pk>/step/<slug:step>/", competitions.competition_step, name="competition_step"),
    path("<int:pk>/reopen/", competitions.competition_reopen, name="competition_reopen"),
    path("<int:pk>/candidates/", candidates.candidates, name="candidates"),
    path("<int:pk>/candidates/register/", candidates.candidate_register, name="candidate_register"),
    path(
        "<int:pk>/candidates/<int:candidate_id>/withdraw/",
        candidates.candidate_withdraw,
        name="candidate_withdraw",
    ),
    path(
        "<int:pk>/candidates/<int:candidate_id>/written/",
        candidates.written_score,
        name="written_score",
    ),
    path("<int:pk>/written/import/", candidates.written_import, name="written_import"),
    path("<int:pk>/written/template.xlsx", candidates.written_template, name="written_template"),
    path("<int:pk>/written/from-exam/", candidates.written_from_exam, name="written_from_exam"),
    path("<int:pk>/ranking/", results.ranking, name="ranking"),
    path("<int:pk>/ties/", results.tie_resolve, name="tie_resolve"),
    path("<int:pk>/publish/", results.publish, name="publish"),
    path("<int:pk>/objections/", results.objections, name="objections"),
    path(
        "<int:pk>/objections/<int:objection_id>/handle/",
        results.objection_handle,
        name="objection_handle",
    ),
    path("judge/", judging.judge_home, name="judge_home"),
    path("judge/<int:pk>/", judging.judge_sheet, name="judge_sheet"),
    path("judge/<int:pk>/score/<int:candidate_id>/", judging.judge_score, name="judge_score"),
    path("notice/", public.notice_list, name="notice_list"),
    path("notice/<int:pk>/", public.notice_detail, name="notice_detail"),
    path("notice/<int:pk>/objection/", public.objection_submit, name="objection_submit"),
]
