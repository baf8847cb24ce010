"""Access to training: the calendar is read by the center's staff and the auditor; events are
planned by the admin and heads (the world's event is the admin's, so the head of A cannot run
its screen); sign-up, check-in, feedback and suggestions need an account linked to a staff
record (clerk01, lobby01), so the admin and the head are refused there. Hours: admin, heads,
auditor. The suggestion is clerk01's (department A): lobby01 does not see it (404)."""

import datetime as dt
import io

from django.utils import timezone

from chuangkou.core.roles import Role
from chuangkou.training import services

from .matrix import ALL_SIGNED_IN, AUD, CA, CLERK, DH, GRADER, LOBBY, Access, special

READERS = frozenset({CA, DH, CLERK, LOBBY, AUD})
STAFF = frozenset({CA, DH, CLERK, LOBBY})
LINKED = frozenset({CLERK, LOBBY})  # roles played by accounts with a staff record
ORGANISERS = frozenset({CA, DH})
ADMIN = frozenset({CA})
HOURS = frozenset({CA, DH, AUD})
PK_READERS = READERS | {GRADER}
# while the contest is open its results are the admin's and the auditor's; the others wait (409)
PK_WAIT = special(dept_head=409, clerk=409, lobby_manager=409, grader=409)
FORGED = "1-1:forged"
API = "/api/v1/training"
_EVENT = {
    "title": "矩阵培训",
    "kind": "monthly",
    "starts_at": "2018-06-20T09:00",
    "ends_at": "2018-06-20T11:00",
    "place": "三楼",
    "hours": "2",
    "capacity": "0",
}


def build(w) -> dict:
    """An event of department A running today (the admin's) and clerk01's suggestion."""
    now = timezone.now()
    event = services.create_event(
        actor=w.admin,
        title="矩阵培训",
        kind="monthly",
        starts_at=now - dt.timedelta(minutes=5),
        ends_at=now + dt.timedelta(days=1),
        place="三楼培训室",
        hours=2,
        departments=[w.dept_a],
    )
    suggestion = services.file_suggestion(
        actor=w.clerk_a1, aspect="support", title="增设饮水机", content="大厅饮水不便。"
    )
    courseware = services.upload_courseware(
        actor=w.clerk_a1,
        title="矩阵课件",
        domain="商事登记",
        summary="摘要",
        key_points="要点",
        speaker="甲一",
        file=io.BytesIO(b"%PDF-1.4\n%%EOF"),
    )
    contest = services.create_pk(
        actor=w.admin,
        name="矩阵大PK",
        year=2018,
        entries=[courseware],
        panel=[w.players[Role.GRADER]],
    )
    services.open_pk(actor=w.admin, contest=contest)  # open: scores and votes go through
    return {
        "training_event": event.pk,
        "suggestion": suggestion.pk,
        "courseware": courseware.pk,
        "pk_contest": contest.pk,
    }


ACCESS: list[Access] = [
    Access("GET", "/training/", READERS, url_name="training:event_list"),
    Access("GET", "/training/?export=xlsx", READERS),
    Access("GET", "/training/mine/", STAFF, url_name="training:my_trainings"),
    Access("GET", "/training/new/", ORGANISERS, url_name="training:event_create"),
    Access("POST", "/training/new/", ORGANISERS, ok=302, data=_EVENT),
    Access("GET", "/training/{training_event}/", READERS, url_name="training:event_detail"),
    Access(
        "POST",
        "/training/{training_event}/signup/",
        LINKED,
        ok=302,
        url_name="training:event_signup",
    ),
    Access("GET", "/training/{training_event}/screen/", ADMIN, url_name="training:event_screen"),
    Access("GET", "/training/{training_event}/qr/", ADMIN, url_name="training:event_qr"),
    Access(
        "POST",
        "/training/{training_event}/absences/",
        ADMIN,
        ok=302,
        url_name="training:event_absences",
    ),
    Access(
        "POST",
        "/training/{training_event}/correct/",
        ADMIN,
        ok=302,
        data={"staff": "{staff_a2}", "status": "present", "reason": "现场核实"},
        url_name="training:event_correct",
    ),
    Access(
        "POST",
        "/training/{training_event}/feedback/",
        LINKED,
        ok=302,
        data={"rating": 5, "usefulness": 5},
        url_name="training:event_feedback",
    ),
    Access("GET", f"/training/c/{FORGED}/", ALL_SIGNED_IN, ok=400, url_name="training:checkin"),
    Access("GET", "/training/hours/", HOURS, url_name="training:hours"),
    Access("GET", "/training/hours/?export=xlsx", HOURS),
    Access("GET", "/training/needs/", ORGANISERS, url_name="training:needs"),
    Access("GET", "/training/suggestions/", READERS, url_name="training:suggestion_list"),
    Access("GET", "/training/suggestions/?export=xlsx", READERS),
    Access("GET", "/training/suggestions/new/", STAFF, url_name="training:suggestion_create"),
    Access(
        "POST",
        "/training/suggestions/new/",
        LINKED,
        ok=302,
        data={"aspect": "skill", "title": "多开培训", "content": "建议每月一次。"},
    ),
    Access(
        "GET",
        "/training/suggestions/{suggestion}/",
        frozenset({CA, DH, CLERK, AUD}),
        special=special(lobby_manager=404),
        url_name="training:suggestion_detail",
    ),
    Access(
        "POST",
        "/training/suggestions/{suggestion}/decide/",
        ADMIN,
        ok=302,
        special=special(lobby_manager=404),
        data={"adopted": "0", "reason": "暂不具备条件"},
        url_name="training:suggestion_step",
    ),
    Access("GET", "/training/courseware/", READERS, url_name="training:courseware_list"),
    Access("GET", "/training/courseware/new/", STAFF, url_name="training:courseware_create"),
    Access(
        "GET",
        "/training/courseware/{courseware}/file/",
        READERS,
        url_name="training:courseware_file",
    ),
    Access(
        "POST",
        "/training/courseware/{courseware}/select/",
        ADMIN,
        ok=302,
        data={"selected": "1"},
        url_name="training:courseware_select",
    ),
    # no selected courseware in the current year: the admin is sent back with a message
    Access("GET", "/training/courseware/handbook/", ADMIN, ok=302, url_name="training:handbook"),
    Access("GET", "/training/pk/{pk_contest}/", READERS | {GRADER}, url_name="training:pk_detail"),
    Access(
        "POST",
        "/training/pk/{pk_contest}/",
        LINKED,
        ok=302,
        data={"action": "vote", "courseware": "{courseware}"},
    ),
    # the 大 PK's lifecycle: the world's contest is open, so opening it again and selecting
    # (only after the close) are refused with a message (302 back to the page)
    Access("POST", "/training/pk/{pk_contest}/open/", ADMIN, ok=302, url_name="training:pk_open"),
    Access("POST", "/training/pk/{pk_contest}/close/", ADMIN, ok=302, url_name="training:pk_close"),
    Access(
        "GET",
        "/training/pk/{pk_contest}/results/",
        PK_READERS,
        url_name="training:pk_results",
    ),
    Access("GET", "/training/pk/{pk_contest}/results/?export=xlsx", frozenset({CA, AUD})),
    Access(
        "POST",
        "/training/pk/{pk_contest}/select/",
        ADMIN,
        ok=302,
        data={"entries": "{courseware}"},
        url_name="training:pk_select",
    ),
    # API
    Access("GET", f"{API}/events", READERS),
    Access(
        "POST",
        f"{API}/events",
        ORGANISERS,
        ok=201,
        data={
            **_EVENT,
            "starts_at": "2018-06-20T09:00:00+08:00",
            "ends_at": "2018-06-20T11:00:00+08:00",
        },
    ),
    Access("GET", f"{API}/events/{{training_event}}", READERS),
    Access("POST", f"{API}/events/{{training_event}}/signup", LINKED, ok=201),
    Access("POST", f"{API}/checkin", ALL_SIGNED_IN, ok=400, data={"token": FORGED}),
    Access(
        "POST",
        f"{API}/events/{{training_event}}/feedback",
        LINKED,
        ok=400,
        data={"rating": 5, "usefulness": 4},
    ),
    Access("GET", f"{API}/hours", HOURS),
    Access("GET", f"{API}/suggestions", READERS),
    Access(
        "POST",
        f"{API}/suggestions",
        LINKED,
        ok=201,
        data={"aspect": "attitude", "title": "微笑服务", "content": "建议开展微笑服务评比。"},
    ),
    Access(
        "GET",
        f"{API}/suggestions/{{suggestion}}",
        frozenset({CA, DH, CLERK, AUD}),
        special=special(lobby_manager=404),
    ),
    Access(
        "POST",
        f"{API}/suggestions/{{suggestion}}/assign",
        ADMIN,
        special=special(lobby_manager=404),
        data=lambda w: {"assignee_id": w.head_a.pk},
    ),
    Access(
        "POST",
        f"{API}/suggestions/{{suggestion}}/answer",
        ADMIN,
        special=special(lobby_manager=404),
        data={"answer": "已研究，下月落实。"},
    ),
    Access(
        "POST",
        f"{API}/suggestions/{{suggestion}}/decision",
        ADMIN,
        special=special(lobby_manager=404),
        data={"adopted": True, "reason": "建议可行。"},
    ),
    Access(
        "POST",
        f"{API}/suggestions/{{suggestion}}/problem",
        ADMIN,
        ok=201,
        special=special(lobby_manager=404),
        data={"kind": "pain", "owner_id": "{dept}"},
    ),
    Access("GET", f"{API}/courseware", READERS),
    # a JSON body instead of the multipart form: refused by the schema before any role check
    Access("POST", f"{API}/courseware", ALL_SIGNED_IN, ok=422, data={"title": "x"}),
    Access("GET", f"{API}/courseware/{{courseware}}", READERS),
    # no courseware of the year is selected yet: the admin gets 404 with the message
    Access("GET", f"{API}/handbook?year=2018", ADMIN, ok=404),
    Access("GET", f"{API}/needs", ORGANISERS),
    Access("GET", f"{API}/pk", PK_READERS),
    Access("GET", f"{API}/pk/{{pk_contest}}", PK_READERS),
    Access("POST", f"{API}/pk/{{pk_contest}}/state", ADMIN, data={"status": "closed"}),
    Access(
        "POST",
        f"{API}/pk/{{pk_contest}}/scores",
        frozenset({GRADER}),
        data={
            "courseware_id": "{courseware}",
            "points": {"内容实用性": 30, "案例典型性": 20, "讲解表达": 15, "课件制作": 8},
        },
    ),
    Access(
        "POST",
        f"{API}/pk/{{pk_contest}}/votes",
        LINKED,
        ok=201,
        data={"courseware_id": "{courseware}"},
    ),
    Access("GET", f"{API}/pk/{{pk_contest}}/results", frozenset({CA, AUD}), special=PK_WAIT),
    # selection comes after the close: the admin is told so (409)
    Access(
        "POST",
        f"{API}/pk/{{pk_contest}}/selection",
        ADMIN,
        ok=409,
        data={"courseware_ids": ["{courseware}"]},
    ),
]
