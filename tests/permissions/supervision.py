"""Access to supervision: the admin and each supervisor (their own) see visits; findings go
to the admin, the head of the department and (confirmed, their own) the clerk; sitting-ins and
problems to the admin and the heads; photos never without login."""

from .matrix import CA, CLERK, DH, LOBBY, SUPERVISOR, Access, special

VISITS = frozenset({CA, SUPERVISOR})
FINDINGS = frozenset({CA, DH, CLERK, LOBBY})
HEADS = frozenset({CA, DH})
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
]
