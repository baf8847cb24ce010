"""Campaign rules: nomination and eligibility, voting limits, review, ranking, publication."""

import datetime as dt
from decimal import Decimal

import pytest

from chuangkou.core.errors import DomainError, PermissionDeniedError
from chuangkou.core.models import AuditEntry
from chuangkou.hall.models import Ticket
from chuangkou.honors import selectors, services
from chuangkou.honors.models import Campaign, Kind, Nomination, Vote
from chuangkou.honors.services.campaigns import final_score
from chuangkou.honors.services.voting import vote_token
from chuangkou.org.models import Assignment
from tests.factories import AssignmentFactory, SeparationFactory, StaffFactory, UserFactory

from .conftest import DEEDS, served


def _ballot(w, *keys):
    return [w.n[k] for k in keys]


# 发起与推荐 -------------------------------------------------------------------------------------


def test_create_campaign_refuses_bad_dates_and_quotas(org_small):
    today = dt.date(2018, 6, 30)
    base = {
        "actor": org_small.admin,
        "name": "评选",
        "period_start": dt.date(2018, 1, 1),
        "period_end": today,
        "vote_start": today,
        "vote_end": today,
    }
    with pytest.raises(DomainError, match="结束日期不能早于"):
        services.create_campaign(**{**base, "period_end": dt.date(2017, 1, 1)})
    with pytest.raises(DomainError, match="投票截止日期"):
        services.create_campaign(**{**base, "vote_end": dt.date(2018, 6, 1)})
    with pytest.raises(DomainError, match="名额"):
        services.create_campaign(**base, window_quota=0, staff_quota=0)
    with pytest.raises(DomainError, match="投票权重"):
        services.create_campaign(**base, vote_weight=101)
    with pytest.raises(PermissionDeniedError):
        services.create_campaign(**{**base, "actor": org_small.head_a})
    assert not Campaign.objects.exists()


def test_nomination_is_audited_and_only_for_own_department(hw):
    assert hw.campaign.nominations.count() == 5
    assert AuditEntry.objects.filter(action="honors.nominate").count() == 5
    with pytest.raises(PermissionDeniedError, match="本部门"):
        services.nominate(
            actor=hw.head_a, campaign=hw.campaign, kind=Kind.STAFF, staff=hw.b2, deeds=DEEDS
        )


def test_nomination_refuses_duplicates_short_deeds_and_wrong_subject(hw):
    with pytest.raises(DomainError, match="重复推荐"):
        services.nominate(
            actor=hw.head_a, campaign=hw.campaign, kind=Kind.STAFF, staff=hw.a1, deeds=DEEDS
        )
    with pytest.raises(DomainError, match="先进事迹"):
        services.nominate(
            actor=hw.head_a, campaign=hw.campaign, kind=Kind.STAFF, staff=hw.a3, deeds="好"
        )
    with pytest.raises(DomainError, match="请选择人员"):
        services.nominate(
            actor=hw.head_a, campaign=hw.campaign, kind=Kind.STAFF, window=hw.w_a01, deeds=DEEDS
        )
    assert hw.campaign.nominations.count() == 5


def _new_staff(w, **kwargs):
    staff = StaffFactory(department=w.dept_a, center=w.main, **kwargs)
    return staff


def test_eligibility_needs_the_whole_period_in_post(hw):
    c = hw.campaign
    late = _new_staff(hw, hire_date=c.period_start + dt.timedelta(days=5))
    AssignmentFactory(staff=late)
    gone = _new_staff(hw, hire_date=dt.date(2015, 1, 1))
    AssignmentFactory(staff=gone)
    SeparationFactory(staff=gone, date=c.period_end - dt.timedelta(days=1))
    gap = _new_staff(hw, hire_date=dt.date(2015, 1, 1))
    AssignmentFactory(staff=gap, end_date=c.period_start + dt.timedelta(days=10))
    AssignmentFactory(staff=gap, start_date=c.period_start + dt.timedelta(days=20))
    chained = _new_staff(hw, hire_date=dt.date(2015, 1, 1))
    AssignmentFactory(staff=chained, end_date=c.period_start + dt.timedelta(days=10))
    AssignmentFactory(staff=chained, start_date=c.period_start + dt.timedelta(days=11))
    for staff, reason in ((late, "入职"), (gone, "离职"), (gap, "岗位记录未覆盖")):
        with pytest.raises(DomainError, match=reason):
            services.nominate(
                actor=hw.head_a, campaign=c, kind=Kind.STAFF, staff=staff, deeds=DEEDS
            )
    services.nominate(actor=hw.head_a, campaign=c, kind=Kind.STAFF, staff=chained, deeds=DEEDS)
    assert Assignment.objects.filter(staff=chained).count() == 2


def test_nominations_only_while_nominating(voting):
    with pytest.raises(DomainError, match="部门推荐"):
        services.nominate(
            actor=voting.head_a,
            campaign=voting.campaign,
            kind=Kind.STAFF,
            staff=voting.a3,
            deeds=DEEDS,
        )


# 投票 -------------------------------------------------------------------------------------------


def test_public_vote_with_a_served_ticket_counts_once_per_category(voting):
    ticket = served(voting)
    token = vote_token(ticket)
    services.cast_public_ballot(
        token=token, campaign=voting.campaign, nominations=_ballot(voting, "A01", "a1")
    )
    with pytest.raises(DomainError, match="已在本次评选中投过“最美办事窗口”"):
        services.cast_public_ballot(
            token=token, campaign=voting.campaign, nominations=_ballot(voting, "B01")
        )
    assert Vote.objects.count() == 2
    counts = {
        c.nomination_id: c.votes
        for k in Kind.values
        for c in selectors.live_counts(voting.campaign)[k]
    }
    assert counts[voting.n["A01"].pk] == 1 and counts[voting.n["B01"].pk] == 0
    assert counts[voting.n["a1"].pk] == 1


def test_public_vote_refuses_unserved_old_and_forged_tickets(voting):
    waiting = served(voting, status=Ticket.Status.WAITING, finished_at=None)
    old = served(voting, service_date=voting.campaign.period_start - dt.timedelta(days=1))
    ballot = _ballot(voting, "A01")
    with pytest.raises(DomainError, match="尚未办结"):
        services.cast_public_ballot(
            token=vote_token(waiting), campaign=voting.campaign, nominations=ballot
        )
    with pytest.raises(DomainError, match="不在本次评选周期"):
        services.cast_public_ballot(
            token=vote_token(old), campaign=voting.campaign, nominations=ballot
        )
    with pytest.raises(DomainError, match="二维码无效"):
        services.cast_public_ballot(
            token=str(old.public_token.hex), campaign=voting.campaign, nominations=ballot
        )
    assert not Vote.objects.exists()
    voting.n["A01"].refresh_from_db()
    assert voting.n["A01"].votes == 0


def test_vote_outside_the_voting_days_or_stage_is_refused(voting):
    ticket = served(voting)
    Campaign.objects.filter(pk=voting.campaign.pk).update(
        vote_end=voting.today - dt.timedelta(days=1)
    )
    voting.campaign.refresh_from_db()
    with pytest.raises(DomainError, match="不在投票时间内"):
        services.cast_public_ballot(
            token=vote_token(ticket), campaign=voting.campaign, nominations=_ballot(voting, "A01")
        )
    with pytest.raises(DomainError, match="不在投票时间内"):
        services.cast_staff_ballot(
            actor=voting.clerk_b1, campaign=voting.campaign, nominations=_ballot(voting, "a1")
        )
    assert not Vote.objects.exists()


def test_vote_before_voting_opens_is_refused(hw):
    ticket = served(hw)
    with pytest.raises(DomainError, match="不在投票阶段"):
        services.cast_public_ballot(
            token=vote_token(ticket), campaign=hw.campaign, nominations=_ballot(hw, "A01")
        )


def test_one_choice_per_category_and_only_this_campaigns_nominations(voting):
    ticket = served(voting)
    with pytest.raises(DomainError, match="每个类别只能投一票"):
        services.cast_public_ballot(
            token=vote_token(ticket),
            campaign=voting.campaign,
            nominations=_ballot(voting, "A01", "B01"),
        )
    with pytest.raises(DomainError, match="至少选择"):
        services.cast_public_ballot(
            token=vote_token(ticket), campaign=voting.campaign, nominations=[]
        )
    assert not Vote.objects.exists()


def test_staff_vote_once_per_person_never_for_oneself(voting):
    services.cast_staff_ballot(
        actor=voting.clerk_b1, campaign=voting.campaign, nominations=_ballot(voting, "A01", "a1")
    )
    with pytest.raises(DomainError, match="每人只能投一次"):
        services.cast_staff_ballot(
            actor=voting.clerk_b1, campaign=voting.campaign, nominations=_ballot(voting, "a2")
        )
    with pytest.raises(DomainError, match="不能给自己投票"):
        services.cast_staff_ballot(
            actor=voting.clerk_a1, campaign=voting.campaign, nominations=_ballot(voting, "a1")
        )
    with pytest.raises(PermissionDeniedError):
        services.cast_staff_ballot(
            actor=UserFactory(), campaign=voting.campaign, nominations=_ballot(voting, "a1")
        )
    assert Vote.objects.count() == 2
    assert selectors.staff_has_voted(voting.campaign, voting.clerk_b1) == {"window", "staff"}


# 评审、排名、公布 -------------------------------------------------------------------------------


def test_final_score_formula():
    assert final_score(votes=50, top_votes=100, review=Decimal("90"), vote_weight=30) == Decimal(
        "78.00"
    )  # 50 × 30% + 90 × 70%
    assert final_score(votes=0, top_votes=0, review=Decimal("80"), vote_weight=30) == Decimal(
        "56.00"
    )


def _to_review(w, votes: dict[str, int]):
    for key, count in votes.items():
        for ticket in served(w, count) if count > 1 else [served(w)] * count:
            services.cast_public_ballot(
                token=vote_token(ticket), campaign=w.campaign, nominations=[w.n[key]]
            )
    services.close_voting(actor=w.admin, campaign=w.campaign)


def _score_all(w, scores: dict[str, int]):
    for key, value in scores.items():
        for judge in w.judges:
            services.score_nomination(actor=judge, nomination=w.n[key], score=value)


def test_ranking_follows_the_formula_and_quotas(voting):
    _to_review(voting, {"A01": 4, "B01": 1, "a1": 1, "a2": 2, "b1": 0})
    _score_all(voting, {"A01": 80, "B01": 95, "a1": 90, "a2": 85, "b1": 99})
    services.rank_campaign(actor=voting.admin, campaign=voting.campaign)
    rows = {k: Nomination.objects.get(pk=n.pk) for k, n in voting.n.items()}
    # windows: A01 = 100×30% + 80×70% = 86; B01 = 25×30% + 95×70% = 74 → A01 first, 1 seat
    assert rows["A01"].final_score == Decimal("86.00") and rows["A01"].awarded
    assert rows["B01"].rank == 2 and not rows["B01"].awarded
    # staff: a1 = 50×.3+90×.7 = 78; a2 = 100×.3+85×.7 = 89.5; b1 = 0+99×.7 = 69.3 → a2, a1
    assert [rows[k].rank for k in ("a2", "a1", "b1")] == [1, 2, 3]
    assert rows["a2"].awarded and rows["a1"].awarded and not rows["b1"].awarded
    assert AuditEntry.objects.filter(action="honors.rank").count() == 1


def test_ranking_needs_every_judges_score(voting):
    _to_review(voting, {})
    services.score_nomination(actor=voting.judges[0], nomination=voting.n["A01"], score=80)
    with pytest.raises(DomainError, match="尚未全部打分"):
        services.rank_campaign(actor=voting.admin, campaign=voting.campaign)
    assert Campaign.objects.get(pk=voting.campaign.pk).status == Campaign.Status.REVIEWING


def test_only_the_panel_scores_within_range(voting):
    _to_review(voting, {})
    with pytest.raises(PermissionDeniedError, match="评审组"):
        services.score_nomination(actor=voting.admin, nomination=voting.n["A01"], score=80)
    for bad in (-1, 101, "abc", "NaN"):
        with pytest.raises(DomainError, match="0 至 100"):
            services.score_nomination(actor=voting.judges[0], nomination=voting.n["A01"], score=bad)
    services.score_nomination(actor=voting.judges[0], nomination=voting.n["A01"], score="88.5")
    services.score_nomination(actor=voting.judges[0], nomination=voting.n["A01"], score=90)
    assert voting.n["A01"].scores.get().score == Decimal("90.00")


def test_publication_needs_citations_and_fills_the_public_page(voting):
    _to_review(voting, {"A01": 1})
    _score_all(voting, {"A01": 80, "B01": 70, "a1": 90, "a2": 85, "b1": 60})
    services.rank_campaign(actor=voting.admin, campaign=voting.campaign)
    with pytest.raises(DomainError, match="颁奖词"):
        services.publish_campaign(actor=voting.admin, campaign=voting.campaign)
    with pytest.raises(DomainError, match="只有当选对象"):
        services.set_citation(actor=voting.admin, nomination=voting.n["b1"], citation="x" * 20)
    for n in Nomination.objects.filter(awarded=True):
        services.set_citation(
            actor=voting.admin, nomination=n, citation=f"{n.subject_label}：用心服务每一位群众。"
        )
    services.publish_campaign(actor=voting.admin, campaign=voting.campaign)
    published = selectors.published_campaigns().get()
    winners = [(n.kind, n.rank) for n in published.nominations.all()]
    assert winners == [("staff", 1), ("staff", 2), ("window", 1)]
    assert all(n.citation for n in published.nominations.all())
    assert AuditEntry.objects.filter(action="honors.publish").count() == 1
