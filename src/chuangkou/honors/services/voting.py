"""投票 that cannot be stuffed.

A citizen votes with the QR code of a ticket served (已办结) in the campaign's period: the code
carries the ticket's public token signed for this purpose (`vote_token`), and each ticket
votes once per category of a campaign. Staff vote with their own accounts, once per category.
Both limits are unique constraints of `Vote`, so concurrent duplicates fail in the database;
each counted vote raises its nomination's `votes` with an atomic `UPDATE … votes + 1` in the
same transaction, so the live count never loses one.
"""

import uuid

from django.core import signing
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from chuangkou.core import ratelimit
from chuangkou.core.errors import DomainError, PermissionDeniedError
from chuangkou.core.middleware import current_ip
from chuangkou.hall.models import Ticket

from .. import permissions
from ..models import Campaign, Kind, Nomination, Vote

VOTE_SALT = "chuangkou.honors.vote"
PUBLIC_VOTES_PER_MINUTE = 20  # ballots from one address per minute
TAKEN = {
    Vote.Channel.PUBLIC: "该排队号已在本次评选中投过“{kind}”的票，每张已办结的排队号只能投一次。",
    Vote.Channel.STAFF: "您已在本次评选中投过“{kind}”的票，每人只能投一次。",
}


def vote_token(ticket: Ticket) -> str:
    """The signed token printed as the ticket's voting QR code."""
    return signing.Signer(salt=VOTE_SALT).sign(ticket.public_token.hex)


def ticket_of(token: str) -> Ticket:
    """The ticket behind a voting token; DomainError(404) when forged or unknown."""
    try:
        value = signing.Signer(salt=VOTE_SALT).unsign(str(token or "")[:200])
        public = uuid.UUID(hex=value)
    except (signing.BadSignature, ValueError):
        raise DomainError("投票二维码无效，请扫描排队小票上的二维码。", status=404) from None
    ticket = Ticket.objects.filter(public_token=public).select_related("window").first()
    if ticket is None:
        raise DomainError("投票二维码无效，请扫描排队小票上的二维码。", status=404)
    return ticket


def _check_open(campaign: Campaign) -> None:
    if campaign.status != Campaign.Status.VOTING:
        raise DomainError(f"本次评选当前为“{campaign.get_status_display()}”，不在投票阶段。")
    today = timezone.localdate()
    if not campaign.vote_start <= today <= campaign.vote_end:
        raise DomainError(
            f"不在投票时间内：投票时间为 {campaign.vote_start:%Y-%m-%d} 至 "
            f"{campaign.vote_end:%Y-%m-%d}。"
        )


def _check_choices(campaign: Campaign, nominations: list[Nomination]) -> list[Nomination]:
    if not nominations:
        raise DomainError("请至少选择一个投票对象。", field="nominations")
    if any(n is None for n in nominations):
        raise DomainError("投票对象不属于本次评选。", field="nominations")
    kinds = [n.kind for n in nominations]
    if len(set(kinds)) != len(kinds):
        raise DomainError("每个类别只能投一票。", field="nominations")
    for n in nominations:
        if n.campaign_id != campaign.pk or n.status != Nomination.Status.ELIGIBLE:
            raise DomainError("投票对象不属于本次评选，或已不符合条件。", field="nominations")
    return nominations


def _check_ticket(campaign: Campaign, ticket: Ticket) -> None:
    if ticket.status != Ticket.Status.DONE:
        raise DomainError(f"排队号 {ticket.number} 尚未办结，业务办结后才能投票。", field="ticket")
    if not campaign.period_start <= ticket.service_date <= campaign.period_end:
        raise DomainError(
            f"排队号 {ticket.number}（{ticket.service_date:%Y-%m-%d}）不在本次评选周期"
            f"（{campaign.period_start:%Y-%m-%d} 至 {campaign.period_end:%Y-%m-%d}）内办理，"
            "不能投票。",
            field="ticket",
        )


@transaction.atomic
def _cast(
    campaign: Campaign, nominations: list[Nomination], *, channel: str, ticket=None, voter=None
) -> list[Vote]:
    now = timezone.now()
    votes = []
    for n in sorted(nominations, key=lambda n: n.pk):  # one lock order: no deadlocks
        try:
            with transaction.atomic():
                vote = Vote.objects.create(
                    campaign=campaign,
                    nomination=n,
                    kind=n.kind,
                    channel=channel,
                    ticket=ticket,
                    voter=voter,
                    cast_at=now,
                )
        except IntegrityError:
            label = Kind(n.kind).label
            raise DomainError(TAKEN[channel].format(kind=label), field="nominations") from None
        Nomination.objects.filter(pk=n.pk).update(votes=F("votes") + 1)
        votes.append(vote)
    return votes


def _taken(campaign: Campaign, nominations, **who) -> None:
    """A clear message before the insert (the constraint decides under concurrency)."""
    for n in nominations:
        if Vote.objects.filter(campaign=campaign, kind=n.kind, **who).exists():
            channel = Vote.Channel.PUBLIC if "ticket" in who else Vote.Channel.STAFF
            raise DomainError(TAKEN[channel].format(kind=Kind(n.kind).label), field="nominations")


def cast_public_ballot(*, token: str, campaign: Campaign, nominations: list[Nomination]) -> list:
    """群众投票 with a served ticket's QR token: at most one nomination per category.

    Rate-limited per address before anything else, so refused attempts count too."""
    address = current_ip()
    if address:
        ratelimit.check_rate("honors-vote", address, limit=PUBLIC_VOTES_PER_MINUTE, seconds=60)
    ticket = ticket_of(token)
    campaign = Campaign.objects.get(pk=campaign.pk)  # the current stage, not the caller's copy
    _check_open(campaign)
    nominations = _check_choices(campaign, list(nominations))
    _check_ticket(campaign, ticket)
    _taken(campaign, nominations, ticket=ticket)
    return _cast(campaign, nominations, channel=Vote.Channel.PUBLIC, ticket=ticket)


def cast_staff_ballot(*, actor, campaign: Campaign, nominations: list[Nomination]) -> list:
    """工作人员投票 with their own account: once per category, never for oneself."""
    if not permissions.can_vote_as_staff(actor):
        raise PermissionDeniedError("只有中心工作人员可以用账号投票。")
    campaign = Campaign.objects.get(pk=campaign.pk)
    _check_open(campaign)
    nominations = _check_choices(campaign, list(nominations))
    for n in nominations:
        if n.staff_id and n.staff.user_id == actor.pk:
            raise DomainError("不能给自己投票。", field="nominations")
    _taken(campaign, nominations, voter=actor)
    return _cast(campaign, nominations, channel=Vote.Channel.STAFF, voter=actor)
