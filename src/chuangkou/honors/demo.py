"""The honors part of the demo (deterministic: `random.Random(SEED)`).

- 2018 年度“最美办事窗口”“最美办事员”评选, published through the services: the briefing's
  9 best windows and 8 best clerks, with citations. The hall demo holds no 2018 tickets, so
  this campaign's vote counted no ballots and its ranking rests on the panel's scores.
- A campaign of the last 30 days in its public vote, with ballots cast through the service by
  the QR tokens of tickets the hall demo served, so the live counts move.
- The briefing's 26 锦旗 and 32 感谢信 received in 2018 H1, and the city's 青年文明号.
Texts (senders, slogans, deeds, citations) are in data/demo.json.
"""

import datetime as dt
import json
import random
from pathlib import Path

from django.contrib.auth import get_user_model
from django.utils import timezone

from chuangkou.hall.models import Ticket
from chuangkou.org.models import Center, Staff, Window

from . import eligibility, services
from .models import Campaign, Commendation, Kind, Nomination
from .services.voting import vote_token

SEED = 2018
DATA = json.loads((Path(__file__).parent / "data" / "demo.json").read_text(encoding="utf-8"))
YEAR_START, HALF_END = dt.date(2018, 1, 1), dt.date(2018, 6, 30)
BEST_WINDOWS, BEST_STAFF = 9, 8  # 评选出 9 位“最美办事窗口”和 8 位“最美办事员”
BANNERS, LETTERS = 26, 32  # 半年来共收到 26 面锦旗和 32 封感谢信
PUBLIC_BALLOTS = 120


def _user(username: str):
    return get_user_model().objects.filter(username=username).first()


def _windows(start: dt.date, end: dt.date) -> list[Window]:
    main = Center.objects.filter(kind=Center.Kind.MAIN).order_by("pk").first()
    windows = Window.objects.filter(center=main, is_active=True).select_related("department")
    return [w for w in windows.order_by("number") if not eligibility.window_problems(w, start, end)]


def _staff(start: dt.date, end: dt.date) -> list[Staff]:
    rows = Staff.objects.exclude(status=Staff.Status.LEFT).select_related("department")
    return [s for s in rows.order_by("staff_no") if not eligibility.staff_problems(s, start, end)]


def _nominate(rng, admin, campaign, windows, staff) -> list[Nomination]:
    made = []
    for kind, subjects in ((Kind.WINDOW, windows), (Kind.STAFF, staff)):
        for subject in subjects:
            deeds = rng.choice(DATA["deeds"]).format(n=rng.randint(2000, 9000))
            made.append(
                services.nominate(
                    actor=admin, campaign=campaign, kind=kind, deeds=deeds, **{kind.value: subject}
                )
            )
    return made


def _published_campaign(rng, admin, judges) -> Campaign:
    campaign = services.create_campaign(
        actor=admin,
        name="2018 年度下城区“最美办事窗口”“最美办事员”评选",
        period_start=YEAR_START,
        period_end=HALF_END,
        vote_start=dt.date(2018, 7, 2),
        vote_end=dt.date(2018, 7, 13),
        window_quota=BEST_WINDOWS,
        staff_quota=BEST_STAFF,
    )
    services.set_panel(actor=admin, campaign=campaign, users=judges)
    windows = rng.sample(_windows(YEAR_START, HALF_END), BEST_WINDOWS + 3)
    staff = rng.sample(_staff(YEAR_START, HALF_END), BEST_STAFF + 4)
    nominations = _nominate(rng, admin, campaign, windows, staff)
    campaign = services.open_voting(actor=admin, campaign=campaign)
    campaign = services.close_voting(actor=admin, campaign=campaign)
    for n in nominations:
        for judge in judges:
            services.score_nomination(actor=judge, nomination=n, score=rng.randint(70, 98))
    campaign = services.rank_campaign(actor=admin, campaign=campaign)
    for n in campaign.nominations.filter(awarded=True).select_related("window", "staff"):
        services.set_citation(
            actor=admin,
            nomination=n,
            citation=f"{n.subject_label}：{rng.choice(DATA['citations'])}",
        )
    return services.publish_campaign(actor=admin, campaign=campaign)


def _voting_campaign(rng, admin, judges) -> Campaign:
    today = timezone.localdate()
    start = today - dt.timedelta(days=30)
    campaign = services.create_campaign(
        actor=admin,
        name=f"{today.year} 年第{(today.month - 1) // 3 + 1}季度“最美办事窗口”“最美办事员”评选",
        period_start=start,
        period_end=today,
        vote_start=today - dt.timedelta(days=2),
        vote_end=today + dt.timedelta(days=14),
        window_quota=3,
        staff_quota=3,
    )
    services.set_panel(actor=admin, campaign=campaign, users=judges)
    windows = _windows(start, today)
    staff = _staff(start, today)
    _nominate(
        rng,
        admin,
        campaign,
        rng.sample(windows, min(6, len(windows))),
        rng.sample(staff, min(6, len(staff))),
    )
    campaign = services.open_voting(actor=admin, campaign=campaign)
    choices = {k: list(campaign.nominations.filter(kind=k)) for k in Kind.values}
    served = Ticket.objects.filter(
        status=Ticket.Status.DONE, service_date__gte=start, service_date__lte=today
    ).order_by("service_date", "pk")[:PUBLIC_BALLOTS]
    for ticket in served:
        ballot = [rng.choice(choices[k]) for k in Kind.values if choices[k] and rng.random() < 0.8]
        if ballot:
            services.cast_public_ballot(
                token=vote_token(ticket), campaign=campaign, nominations=ballot
            )
    return campaign


def _days(rng, count: int) -> list[dt.date]:
    span = (HALF_END - YEAR_START).days
    return sorted(YEAR_START + dt.timedelta(days=rng.randrange(span + 1)) for _ in range(count))


def _commendations(rng, admin) -> None:
    staff = _staff(YEAR_START, HALF_END)
    windows = _windows(YEAR_START, HALF_END)
    for kind, count, texts in (
        (Commendation.Type.BANNER, BANNERS, DATA["banners"]),
        (Commendation.Type.LETTER, LETTERS, DATA["letters"]),
    ):
        for day in _days(rng, count):
            person = rng.choice(staff) if rng.random() < 0.6 else None
            services.record_commendation(
                actor=admin,
                kind=kind,
                received_on=day,
                sender=rng.choice(DATA["senders"]),
                staff=person,
                window=None if person else rng.choice(windows),
                text=rng.choice(texts),
            )
    for title in DATA["titles"]:
        window = windows[0]
        services.record_commendation(
            actor=admin,
            kind=Commendation.Type.TITLE,
            received_on=dt.date.fromisoformat(title["date"]),
            sender=title["sender"],
            window=window,
            team=title["team"],
            title=title["title"],
            text=title["text"],
        )


def load() -> None:
    rng = random.Random(SEED)
    admin = _user("admin")
    judges = [u for u in (_user("grader01"), admin) if u is not None]
    _published_campaign(rng, admin, judges)
    _voting_campaign(rng, admin, judges)
    _commendations(rng, admin)
