"""Access to selection (竞聘上岗): the center admin runs competitions; a judge (grader01, on
both panels) scores interviews; any signed-in person may raise an objection during 公示; the
notices are public. `{competition}` is being scored; `{published}` is in its notice period.
409/400 where the admin gets past the check and the competition's state refuses the step."""

from .matrix import ALL_SIGNED_IN, CA, GRADER, Access

ADMIN = frozenset({CA})
JUDGE = frozenset({GRADER})
S = "/selection/"
A = "/api/v1/selection"
COMPETITION = {
    "name": "API 竞聘",
    "year": 2019,
    "budget": 60000,
    "written_weight": 50,
    "interview_weight": 50,
    "pass_line": 60,
    "allowed_employment_types": ["temporary"],
    "min_service_years": 1,
    "service_reference_date": "2019-04-30",
}
OBJECTION = {"text": "对公示结果有异议"}


def _admin(method: str, path: str, url_name: str = "", **kwargs) -> Access:
    return Access(method, path, ADMIN, url_name=url_name, **kwargs)


ACCESS: list[Access] = [
    # the admin's pages
    _admin("GET", S, "selection:competition_list"),
    _admin("GET", S + "new/", "selection:competition_create"),
    _admin("GET", S + "{competition}/", "selection:competition_detail"),
    _admin("GET", S + "{competition}/edit/", "selection:competition_edit"),
    _admin(  # a form error: no reopening while scoring
        "POST", S + "{competition}/reopen/", "selection:competition_reopen", data={"reason": "x"}
    ),
    _admin("POST", S + "{competition}/step/rank/", "selection:competition_step", ok=302),
    _admin("GET", S + "{competition}/tiers/", "selection:tiers_edit"),
    _admin("GET", S + "{competition}/judges/", "selection:judges_edit"),
    _admin("GET", S + "{competition}/candidates/", "selection:candidates"),
    _admin(  # a form error: registration is closed while scoring
        "POST",
        S + "{competition}/candidates/register/",
        "selection:candidate_register",
        data={"staff": "{staff_id}"},
    ),
    _admin(
        "POST",
        S + "{competition}/candidates/{candidate}/withdraw/",
        "selection:candidate_withdraw",
        ok=302,
        data={"reason": "x"},
    ),
    _admin(
        "POST",
        S + "{competition}/candidates/{candidate}/written/",
        "selection:written_score",
        ok=302,
        data={"score": "80"},
    ),
    _admin("GET", S + "{competition}/written/import/", "selection:written_import"),
    _admin("GET", S + "{competition}/finished/import/", "selection:finished_import"),
    _admin("GET", S + "{competition}/finished/template.xlsx", "selection:finished_template"),
    _admin("GET", S + "{competition}/written/template.xlsx", "selection:written_template"),
    _admin("POST", S + "{competition}/written/from-exam/", "selection:written_from_exam", ok=302),
    _admin("GET", S + "{competition}/ranking/", "selection:ranking"),
    _admin(
        "POST", S + "{competition}/ties/", "selection:tie_resolve", ok=302, data={"reason": "x"}
    ),
    _admin("GET", S + "{published}/publish/", "selection:publish"),
    _admin("GET", S + "{published}/objections/", "selection:objections"),
    _admin("GET", S + "{published}/objections/{objection}/handle/", "selection:objection_handle"),
    # the judge
    Access("GET", S + "judge/", JUDGE, url_name="selection:judge_home"),
    Access("GET", S + "judge/{competition}/", JUDGE, url_name="selection:judge_sheet"),
    Access(
        "POST",
        S + "judge/{competition}/score/{candidate}/",
        JUDGE,
        ok=302,
        data={"score": "80"},
        url_name="selection:judge_score",
    ),
    # 公示 and objections
    Access("GET", S + "my-objections/", ALL_SIGNED_IN, url_name="selection:my_objections"),
    Access("GET", S + "notice/", ALL_SIGNED_IN, anonymous=200, url_name="selection:notice_list"),
    Access(
        "GET",
        S + "notice/{published}/",
        ALL_SIGNED_IN,
        anonymous=200,
        url_name="selection:notice_detail",
    ),
    Access(
        "POST",
        S + "notice/{published}/objection/",
        ALL_SIGNED_IN,
        ok=302,
        data=OBJECTION,
        url_name="selection:objection_submit",
    ),
    # API
    _admin("GET", A + "/competitions"),
    _admin("POST", A + "/competitions", ok=201, data=COMPETITION),
    _admin("GET", A + "/competitions/{competition}"),
    _admin("PATCH", A + "/competitions/{competition}", data={"budget": 70000}),
    _admin(
        "PUT",
        A + "/competitions/{competition}/tiers",
        data=[{"name": "一档", "quota": 1, "annual_amount": 24000}],
    ),
    _admin("PUT", A + "/competitions/{competition}/judges", ok=409, data={"user_ids": ["{judge}"]}),
    _admin("POST", A + "/competitions/{competition}/open-registration", ok=409),
    _admin("POST", A + "/competitions/{competition}/start-scoring", ok=409),
    _admin("POST", A + "/competitions/{competition}/ranking", ok=400),  # scores missing
    _admin("POST", A + "/competitions/{competition}/finalise", ok=409),
    _admin("POST", A + "/competitions/{competition}/reopen", ok=409, data={"reason": "x"}),
    _admin(
        "POST",
        A + "/competitions/{competition}/ties",
        ok=409,
        data={"candidate_ids": ["{candidate}", "{candidate2}"], "reason": "x"},
    ),
    _admin("POST", A + "/competitions/{competition}/written-scores/from-exam", ok=400),
    _admin("GET", A + "/competitions/{competition}/candidates"),
    _admin(
        "POST",
        A + "/competitions/{competition}/candidates",
        ok=409,
        data={"staff_id": "{staff_id}"},
    ),
    _admin("GET", A + "/competitions/{competition}/ranking"),
    _admin("GET", A + "/competitions/{published}/objections"),
    _admin("POST", A + "/competitions/{published}/publish", ok=409, data={}),
    _admin("POST", A + "/candidates/{candidate}/withdraw", data={"reason": "x"}),
    _admin("PUT", A + "/candidates/{candidate}/written-score", data={"score": 80}),
    Access("GET", A + "/judging", JUDGE),
    Access("GET", A + "/judging/{competition}/candidates", JUDGE),
    Access("PUT", A + "/judging/candidates/{candidate}/score", JUDGE, data={"score": 80}),
    Access("GET", A + "/notices", ALL_SIGNED_IN, anonymous=200),
    Access("GET", A + "/notices/{published}", ALL_SIGNED_IN, anonymous=200),
    Access("POST", A + "/notices/{published}/objections", ALL_SIGNED_IN, ok=201, data=OBJECTION),
    _admin(
        "POST",
        A + "/objections/{objection}/handle",
        data={"decision": "rejected", "reply": "经核实，异议不成立"},
    ),
]
