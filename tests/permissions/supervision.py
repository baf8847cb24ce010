"""Access to supervision: the admin and each supervisor (their own) see visits; findings go
to the admin, the head of the department and (confirmed, their own) the clerk; sitting-ins and
problems to the admin and the heads; photos never without login."""

import datetime as dt

from django.utils import timezone

from .matrix import CA, CLERK, DH, LOBBY, SUPERVISOR, Access, special

VISITS = frozenset({CA, SUPERVISOR})
FINDINGS = frozenset({CA, DH, CLERK, LOBBY})
HEADS = frozenset({CA, DH})
ADMIN = frozenset({CA})
NOT_THEIRS = special(clerk=404, lobby_manager=404)

ACCESS: list[Access] = [
    Access("GET", "/supervision/visits/", VISITS, url_name="supervision:visit_list"),
    Access("GET", "/supervision/visits/?export=xlsx", VISITS),
    Access(
        "GET",
        "/supervision/visits/assignments/{sv_own_assignment}/file/",
        frozenset({SUPERVISOR}),
        url_name="supervision:visit_file",
    ),
    Access(
        "GET",
        "/supervision/visits/assignments/{sv_others_assignment}/file/",
        frozenset(),
        special=special(supervisor=404),
    ),
    Access("GET", "/supervision/visits/{sv_visit}/", VISITS, url_name="supervision:visit_detail"),
    Access("GET", "/supervision/photos/{sv_photo}/", VISITS, url_name="supervision:visit_photo"),
    Access("GET", "/supervision/findings/", FINDINGS, url_name="supervision:finding_list"),
    Access(
        "GET",
        "/supervision/findings/{sv_finding}/",
        FINDINGS,
        special=NOT_THEIRS,
        url_name="supervision:finding_detail",
    ),
    Access(
        "POST",
        "/supervision/findings/{sv_finding}/",
        frozenset({DH}),
        ok=302,
        special=special(center_admin=403, clerk=404, lobby_manager=404),
        data={"action": "confirm"},
    ),
    Access(
        "GET",
        "/supervision/findings/{sv_disputed}/evidence/",
        FINDINGS,
        special=NOT_THEIRS,
        url_name="supervision:finding_evidence",
    ),
    Access("GET", "/supervision/sittings/", HEADS, url_name="supervision:sitting_calendar"),
    Access(
        "POST",
        "/supervision/sittings/",
        frozenset({DH}),
        ok=302,
        data={"slot": "{sv_slot}"},
    ),
    Access(
        "GET", "/supervision/sittings/{sv_sitting}/", HEADS, url_name="supervision:sitting_detail"
    ),
    Access(
        "GET",
        "/supervision/sittings/{sv_sitting}/record/",
        frozenset({DH}),
        special=special(center_admin=404),
        url_name="supervision:sitting_record",
    ),
    Access(
        "GET", "/supervision/sittings/handbook.docx", HEADS, url_name="supervision:handbook_docx"
    ),
    Access(
        "GET",
        "/supervision/sittings/record-form.docx",
        HEADS,
        url_name="supervision:record_form_docx",
    ),
    Access("GET", "/supervision/problems/", HEADS, url_name="supervision:problem_board"),
    Access("GET", "/supervision/problems/?export=xlsx", HEADS),
    Access("GET", "/supervision/plans/new/", ADMIN, url_name="supervision:plan_create"),
    Access("POST", "/supervision/plans/new/", ADMIN, ok=400, data={"name": ""}),
    Access("GET", "/supervision/sittings/slots/new/", ADMIN, url_name="supervision:slot_open"),
    Access("GET", "/supervision/problems/new/", HEADS, url_name="supervision:problem_create"),
    Access(
        "GET",
        "/supervision/problems/{sv_problem}/",
        HEADS,
        url_name="supervision:problem_detail",
    ),
    Access(
        "POST",
        "/supervision/problems/{sv_problem_solved}/",
        ADMIN,
        ok=302,
        data={"action": "reopen", "reopen-reason": "复发"},
    ),
]

# API ---------------------------------------------------------------------------------------------
API = "/api/v1/supervision"
ON_FINDING = special(clerk=404, lobby_manager=404)


def _next_month(w) -> tuple[str, str]:
    first = (timezone.localdate().replace(day=1) + dt.timedelta(days=32)).replace(day=1)
    return first.isoformat(), (first + dt.timedelta(days=20)).isoformat()


def _plan_body(w) -> dict:
    start, end = _next_month(w)
    body = {"name": "矩阵抽签", "period_start": start, "period_end": end}
    return {**body, "visits_per_center": 1, "center_ids": [w.main.pk], "seed": 7}


def _slots_body(w) -> dict:
    start, end = _next_month(w)
    return {"window_ids": [w.w_a01.pk], "start": start, "end": end, "halves": ["am"]}


ACCESS += [
    Access("GET", f"{API}/plans", ADMIN),
    Access("POST", f"{API}/plans", ADMIN, ok=201, data=_plan_body),
    Access("GET", f"{API}/assignments", VISITS),
    # the own assignment is tomorrow: filing it today is refused with a reason (400)
    Access(
        "POST",
        f"{API}/assignments/{{sv_own_assignment}}/visit",
        frozenset({SUPERVISOR}),
        ok=400,
        data={"visited_at": "2020-01-01T10:00:00+08:00", "windows": ["A01"]},
    ),
    Access(
        "POST",
        f"{API}/assignments/{{sv_others_assignment}}/visit",
        frozenset(),
        special=special(supervisor=404),
        data={"visited_at": "2020-01-01T10:00:00+08:00", "windows": ["A01"]},
    ),
    Access("GET", f"{API}/visits", VISITS),
    Access("GET", f"{API}/visits/{{sv_visit}}", VISITS),
    # no file sent: the owner is told to choose photos (400); the admin may not add any
    Access("POST", f"{API}/visits/{{sv_visit}}/photos", frozenset({SUPERVISOR}), ok=400),
    Access("GET", f"{API}/findings", FINDINGS),
    Access("GET", f"{API}/findings/{{sv_finding}}", FINDINGS, special=NOT_THEIRS),
    Access(
        "POST",
        f"{API}/findings/{{sv_finding}}/confirm",
        frozenset({DH}),
        special=ON_FINDING,
    ),
    # a JSON body carries no form fields: the head is asked for the reason (400)
    Access(
        "POST",
        f"{API}/findings/{{sv_finding}}/dispute",
        frozenset({DH}),
        ok=400,
        special=ON_FINDING,
    ),
    Access(
        "POST",
        f"{API}/findings/{{sv_disputed}}/decision",
        ADMIN,
        special=ON_FINDING,
        data={"upheld": False},
    ),
    Access("GET", f"{API}/slots", HEADS),
    Access("POST", f"{API}/slots", ADMIN, ok=201, data=_slots_body),
    Access("POST", f"{API}/slots/{{sv_slot}}/bookings", frozenset({DH}), ok=201),
    Access("GET", f"{API}/questionnaire", HEADS),
    Access("GET", f"{API}/sittings", HEADS),
    Access("GET", f"{API}/sittings/{{sv_sitting}}", HEADS),
    Access(
        "POST",
        f"{API}/sittings/{{sv_sitting}}/record",
        frozenset({DH}),
        data={"answers": {"1": "取号顺畅"}, "summary": "体验良好"},
    ),
    Access("POST", f"{API}/sittings/{{sv_sitting}}/cancel", HEADS),
    Access("GET", f"{API}/problems", HEADS),
    Access(
        "POST",
        f"{API}/problems",
        HEADS,
        ok=201,
        data={"title": "材料清单不清", "kind": "block", "owner_id": "{dept}"},
    ),
    Access("GET", f"{API}/problems/{{sv_problem}}", HEADS),
    Access(
        "POST", f"{API}/problems/{{sv_problem}}/on-spot", HEADS, data={"resolution": "当场办结"}
    ),
    Access(
        "POST",
        f"{API}/problems/{{sv_problem}}/consult",
        HEADS,
        data={"meeting_record": "三部门会商", "resolution": "已解决"},
    ),
    Access("POST", f"{API}/problems/{{sv_problem}}/coordinate", HEADS, data={"note": "会同民政"}),
    Access(
        "POST",
        f"{API}/problems/{{sv_problem_coordinating}}/resolve",
        HEADS,
        data={"resolution": "协调完成"},
    ),
    Access("POST", f"{API}/problems/{{sv_problem_solved}}/close", ADMIN, data={}),
    Access("POST", f"{API}/problems/{{sv_problem_solved}}/reopen", ADMIN, data={"reason": "复发"}),
    Access("GET", f"{API}/figures?as_of=2026-08-31", HEADS),
]
