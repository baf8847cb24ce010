"""Access to honors: the honors page, the vote by a ticket's QR and the live counts are public;
campaigns are read by the center's staff, graders and the auditor, run by the admin, nominated
by the admin and heads, scored by the panel (grader01); commendations are read by the admin,
heads, clerks (their own) and the auditor, recorded by the admin and heads. The published
campaign's winner and the scanned banner belong to department B (the head of A is refused)."""

import datetime as dt
import io

from django.utils import timezone
from PIL import Image

from chuangkou.core.roles import Role
from chuangkou.honors import services
from chuangkou.honors.models import Kind, Nomination
from chuangkou.honors.services.voting import vote_token

from .matrix import ALL_SIGNED_IN, AUD, CA, CLERK, DH, GRADER, LOBBY, Access, special

DEEDS = "服务热情周到，业务熟练，全年零差评，多次获得群众表扬。"
ADMIN = frozenset({CA})
READERS = frozenset({CA, DH, CLERK, LOBBY, GRADER, AUD})
VOTERS = frozenset({CA, DH, CLERK, LOBBY})
COMMENDATION_READERS = frozenset({CA, DH, CLERK, AUD})
# API calls on a campaign: non-readers do not see it (404), readers without the right get 403
ON_CAMPAIGN = special(**{r.value: 403 for r in READERS})
API = "/api/v1/honors"


def _campaign(w, name: str, **kwargs):
    today = timezone.localdate()
    return services.create_campaign(
        actor=w.admin,
        name=name,
        period_start=today - dt.timedelta(days=30),
        period_end=today,
        vote_start=today - dt.timedelta(days=1),
        vote_end=today + dt.timedelta(days=7),
        window_quota=1,
        staff_quota=1,
        **kwargs,
    )


def _nominate(w, campaign, **subject):
    kind = Kind.WINDOW if "window" in subject else Kind.STAFF
    return services.nominate(actor=w.admin, campaign=campaign, kind=kind, deeds=DEEDS, **subject)


def _to_review(w, campaign, judge):
    services.set_panel(actor=w.admin, campaign=campaign, users=[judge])
    services.open_voting(actor=w.admin, campaign=campaign)
    return services.close_voting(actor=w.admin, campaign=campaign)


def _published(w, judge):
    campaign = _campaign(w, "已公布的评选")
    nominations = [_nominate(w, campaign, window=w.w_b01), _nominate(w, campaign, staff=w.b1)]
    campaign = _to_review(w, campaign, judge)
    for n in nominations:
        services.score_nomination(actor=judge, nomination=n, score=90)
    services.rank_campaign(actor=w.admin, campaign=campaign)
    for n in Nomination.objects.filter(campaign=campaign, awarded=True):
        services.set_citation(actor=w.admin, nomination=n, citation="用心服务每一位办事群众。")
    services.publish_campaign(actor=w.admin, campaign=campaign)
    return Nomination.objects.get(campaign=campaign, kind=Kind.STAFF)


def _scan() -> io.BytesIO:
    buffer = io.BytesIO()
    Image.new("RGB", (20, 20), "red").save(buffer, format="PNG")
    buffer.seek(0)
    return buffer


def build(w) -> dict:
    """The honors part of the world; returns the ids its declarations use."""
    judge = w.players[Role.GRADER]
    nominating = _campaign(w, "推荐中的评选")
    voting = _campaign(w, "投票中的评选")
    window = _nominate(w, voting, window=w.w_a01)
    services.open_voting(actor=w.admin, campaign=voting)
    reviewing = _campaign(w, "评审中的评选")
    reviewed = _nominate(w, reviewing, staff=w.a2)
    _to_review(w, reviewing, judge)
    services.score_nomination(actor=judge, nomination=reviewed, score=80)
    commendation = services.record_commendation(
        actor=w.admin, kind="banner", received_on=dt.date(2018, 3, 8), window=w.w_b01, scan=_scan()
    )
    return {
        "campaign_nominating": nominating.pk,
        "campaign_voting": voting.pk,
        "campaign_reviewing": reviewing.pk,
        "nom_window": window.pk,
        "nom_reviewing": reviewed.pk,
        "winner": _published(w, judge).pk,
        "commendation": commendation.pk,
        "served_ticket": w.rating_ticket.pk,
        "vote_token": vote_token(w.rating_ticket),
    }


def _public(method: str, path: str, ok: int = 200, **kwargs) -> Access:
    return Access(method, path, ALL_SIGNED_IN, ok=ok, anonymous=ok, **kwargs)


def _campaign_call(method, path, allowed, ok=200, data=None, extra=None) -> Access:
    codes = {r.value: 403 for r in READERS - allowed} | (extra or {})
    return Access(method, path, allowed, ok=ok, denied=404, special=special(**codes), data=data)


_CAMPAIGN_BODY = {
    "name": "API 评选",
    "period_start": "2018-01-01",
    "period_end": "2018-06-30",
    "vote_start": "2018-07-01",
    "vote_end": "2018-07-10",
}

ACCESS: list[Access] = [
    # public pages
    _public("GET", "/honors/", url_name="honors:public"),
    _public("GET", "/honors/v/{vote_token}/", url_name="honors:vote"),
    _public(
        "POST",
        "/honors/v/{vote_token}/",
        ok=302,
        data={"campaign": "{campaign_voting}", "window": "{nom_window}"},
    ),
    _public("GET", "/honors/campaigns/{campaign_voting}/counts/", url_name="honors:live_counts"),
    # staff pages
    Access("GET", "/honors/campaigns/", READERS, url_name="honors:campaign_list"),
    Access("GET", "/honors/campaigns/new/", ADMIN, url_name="honors:campaign_create"),
    Access(
        "GET", "/honors/campaigns/{campaign_voting}/", READERS, url_name="honors:campaign_detail"
    ),
    Access(
        "GET", "/honors/nominations/{winner}/certificate/", ADMIN, url_name="honors:certificate"
    ),
    Access(
        "GET",
        "/honors/tickets/{served_ticket}/qr/",
        frozenset({CA, LOBBY, CLERK}),
        url_name="honors:ticket_qr",
    ),
    Access(
        "GET", "/honors/commendations/", COMMENDATION_READERS, url_name="honors:commendation_list"
    ),
    Access(
        "GET",
        "/honors/commendations/new/",
        frozenset({CA, DH}),
        url_name="honors:commendation_create",
    ),
    Access(
        "GET",
        "/honors/commendations/{commendation}/scan/",
        frozenset({CA, AUD}),
        special=special(dept_head=404, clerk=404),
        url_name="honors:commendation_scan",
    ),
    # public API
    _public("GET", f"{API}/public"),
    _public("GET", f"{API}/campaigns/{{campaign_voting}}/counts"),
    _public("GET", f"{API}/vote/{{vote_token}}"),
    _public(
        "POST",
        f"{API}/vote/{{vote_token}}",
        ok=201,
        data={"campaign_id": "{campaign_voting}", "nomination_ids": ["{nom_window}"]},
    ),
    # campaigns API
    Access("GET", f"{API}/campaigns", READERS),
    Access("POST", f"{API}/campaigns", ADMIN, ok=201, data=_CAMPAIGN_BODY),
    Access("GET", f"{API}/campaigns/{{campaign_voting}}", READERS, denied=404),
    Access("GET", f"{API}/campaigns/{{campaign_voting}}/nominations", READERS, denied=404),
    _campaign_call(
        "POST",
        f"{API}/campaigns/{{campaign_nominating}}/panel",
        ADMIN,
        data={"user_ids": ["{judge}"]},
    ),
    _campaign_call("POST", f"{API}/campaigns/{{campaign_nominating}}/open-voting", ADMIN, ok=400),
    _campaign_call("POST", f"{API}/campaigns/{{campaign_voting}}/close-voting", ADMIN, ok=400),
    _campaign_call("POST", f"{API}/campaigns/{{campaign_reviewing}}/rank", ADMIN),
    _campaign_call("POST", f"{API}/campaigns/{{campaign_reviewing}}/publish", ADMIN, ok=400),
    Access(
        "POST",
        f"{API}/campaigns/{{campaign_nominating}}/nominations",
        frozenset({CA, DH}),
        ok=201,
        data={"kind": "staff", "staff_id": "{staff_a3}", "deeds": DEEDS},
    ),
    _campaign_call(
        "POST",
        f"{API}/campaigns/{{campaign_voting}}/votes",
        VOTERS,
        ok=201,
        data={"nomination_ids": ["{nom_window}"]},
    ),
    _campaign_call(
        "POST",
        f"{API}/nominations/{{nom_reviewing}}/score",
        frozenset({GRADER}),
        data={"score": 85},
    ),
    _campaign_call(
        "POST",
        f"{API}/nominations/{{winner}}/citation",
        ADMIN,
        ok=400,
        data={"citation": "用心服务每一位办事群众。"},
    ),
    _campaign_call("GET", f"{API}/nominations/{{winner}}/certificate", ADMIN),
    # commendations API
    Access("GET", f"{API}/commendations", COMMENDATION_READERS),
    Access(
        "POST",
        f"{API}/commendations",
        frozenset({CA, DH}),
        ok=201,
        data={"type": "letter", "received_on": "2018-04-01", "window_id": "{window}"},
    ),
    Access("GET", f"{API}/commendations/counts?start=2018-01-01", COMMENDATION_READERS),
]
