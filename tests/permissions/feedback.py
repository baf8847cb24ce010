"""Access to feedback: the pad and the phone rating pages are public; the admin works the
rectifications (of department B here: the head of A gets 404) and the surveys; the admin and
the lobby manager enter ratings; the admin and the heads read satisfaction."""

import datetime as dt

from django.utils import timezone

from .matrix import ALL_SIGNED_IN, CA, CLERK, DH, LOBBY, Access, special

ADMIN = frozenset({CA})
NOT_HEADING = special(dept_head=404)
PAD = "/feedback/pad/{window}/?s={pad_token}"
RECT = "/api/v1/feedback/rectifications"


def _public(method: str, path: str, ok: int = 200, **kwargs) -> Access:
    return Access(method, path, ALL_SIGNED_IN, ok=ok, anonymous=ok, **kwargs)


def _survey_body(world) -> dict:
    today = timezone.localdate()
    return {
        "region_id": world.region.pk,
        "name": "API 抽样",
        "period_start": str(today - dt.timedelta(days=30)),
        "period_end": str(today),
        "sample_size": 3,
        "seed": 5,
    }


ACCESS: list[Access] = [
    # the clerk's pad launcher, the public pad and phone pages
    Access("GET", "/feedback/pad/", frozenset({CLERK}), url_name="feedback:pad_open"),
    _public("GET", PAD, url_name="feedback:pad"),
    _public("POST", PAD, data={"level": "5"}),
    _public(
        "GET", "/feedback/pad/{window}/current/?s={pad_token}", url_name="feedback:pad_current"
    ),
    _public("GET", "/feedback/t/{rating_token}/", url_name="feedback:ticket_rating"),
    _public("POST", "/feedback/t/{rating_token}/", ok=302, data={"level": "4"}),
    # staff pages
    Access("GET", "/feedback/entry/", frozenset({CA, LOBBY}), url_name="feedback:entry"),
    Access(
        "GET",
        "/feedback/rectifications/",
        frozenset({CA, DH}),
        url_name="feedback:rectification_list",
    ),
    Access(
        "GET",
        "/feedback/rectifications/{rect}/",
        ADMIN,
        special=NOT_HEADING,
        url_name="feedback:rectification_detail",
    ),
    Access("GET", "/feedback/satisfaction/", frozenset({CA, DH}), url_name="feedback:satisfaction"),
    Access("GET", "/feedback/surveys/", ADMIN, url_name="feedback:survey_list"),
    Access("GET", "/feedback/surveys/new/", ADMIN, url_name="feedback:survey_create"),
    Access("GET", "/feedback/surveys/import/", ADMIN, url_name="feedback:survey_import"),
    Access(
        "GET",
        "/feedback/surveys/import/template.xlsx",
        ADMIN,
        url_name="feedback:survey_import_template",
    ),
    Access("GET", "/feedback/surveys/{survey}/", ADMIN, url_name="feedback:survey_detail"),
    Access(
        "GET",
        "/feedback/surveys/{survey}/samples/{sample}/",
        ADMIN,
        url_name="feedback:survey_interview",
    ),
    Access("GET", "/feedback/surveys/{survey}/report/", ADMIN, url_name="feedback:survey_report"),
    # public API
    _public("GET", "/api/v1/feedback/pad/{window}/current?token={pad_token}"),
    _public(
        "POST",
        "/api/v1/feedback/pad/{window}/ratings",
        ok=201,
        data={"token": "{pad_token}", "level": 5},
    ),
    _public("GET", "/api/v1/feedback/tickets/{rating_token}/rating"),
    _public("POST", "/api/v1/feedback/tickets/{rating_token}/ratings", ok=201, data={"level": 3}),
    # staff API
    Access(
        "POST",
        "/api/v1/feedback/ratings",
        frozenset({CA, LOBBY}),
        ok=201,
        data={"channel": "sms", "level": 5, "case_id": "{case_done}"},
    ),
    Access("GET", "/api/v1/feedback/satisfaction", frozenset({CA, DH})),
    Access("GET", RECT, frozenset({CA, DH})),
    Access("GET", RECT + "/{rect}", ADMIN, special=NOT_HEADING),
    Access("POST", RECT + "/{rect}/callback", ADMIN, special=NOT_HEADING, data={"note": "已回访"}),
    Access(
        "POST",
        RECT + "/{rect_called}/rectify",
        ADMIN,
        special=NOT_HEADING,
        data={"reply": "已整改"},
    ),
    Access(
        "POST",
        RECT + "/{rect_called}/unrectifiable",
        ADMIN,
        special=NOT_HEADING,
        data={"reason": "法规不允许"},
    ),
    Access(
        "POST",
        RECT + "/{rect}/appeal",
        ADMIN,
        special=NOT_HEADING,
        data={"kind": "malicious", "reason": "辱骂"},
    ),
    Access(
        "POST",
        RECT + "/{rect_appealing}/decision",
        ADMIN,
        special=NOT_HEADING,
        data={"decision": "rejected"},
    ),
    Access("GET", "/api/v1/feedback/surveys", ADMIN),
    Access("POST", "/api/v1/feedback/surveys", ADMIN, ok=201, data=_survey_body),
    Access("GET", "/api/v1/feedback/surveys/{survey}/samples", ADMIN),
    Access(
        "POST",
        "/api/v1/feedback/surveys/{survey}/samples/{sample}/interview",
        ADMIN,
        data={"reached": True, "visits_reported": 1, "satisfied": True},
    ),
    Access("GET", "/api/v1/feedback/surveys/{survey}/report", ADMIN),
]
