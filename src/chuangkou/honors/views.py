"""评先表彰 pages. Thin: every write goes through `services`, every read through `selectors`."""

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from chuangkou.core import uploads
from chuangkou.core.errors import DomainError, PermissionDeniedError
from chuangkou.core.forms import add_domain_error
from chuangkou.core.params import date_param, page_of, query_without_page, read_filters
from chuangkou.core.permissions import role_required
from chuangkou.core.responses import xlsx_response
from chuangkou.core.roles import Role
from chuangkou.hall.models import Ticket
from chuangkou.hall.qr import qr_svg

from . import permissions, selectors, services, transfer
from .certificates import certificate_docx
from .filters import CampaignFilter, CommendationFilter
from .forms import (
    CampaignForm,
    CitationForm,
    CommendationForm,
    NominationForm,
    PanelForm,
    ScoreForm,
)
from .models import Campaign, Commendation, Kind, Nomination
from .services.voting import ticket_of, vote_token

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
LIVE_SECONDS = 10


# Public: the honors page, the vote by QR, the live counts ---------------------------------------


@require_GET
def public_honors(request):
    """光荣榜: published campaigns with their winners and citations (no login)."""
    return render(
        request, "honors/public.html", {"campaigns": selectors.published_campaigns()[:10]}
    )


def _ballot_from(request, campaign: Campaign) -> list[Nomination]:
    ids = [request.POST.get(k, "") for k in Kind.values]
    wanted = [int(i) for i in ids if i.isascii() and i.isdigit() and len(i) <= 18]
    return list(campaign.nominations.filter(pk__in=wanted).select_related("staff"))


@require_http_methods(["GET", "POST"])
def vote(request, token: str):
    """扫码投票: the phone page behind a served ticket's voting QR code."""
    try:
        ticket = ticket_of(token)
    except DomainError as exc:
        return render(request, "honors/vote_invalid.html", {"message": exc.message}, status=404)
    campaigns = list(selectors.votable_campaigns())
    error = None
    if request.method == "POST":
        campaign = next((c for c in campaigns if str(c.pk) == request.POST.get("campaign")), None)
        try:
            if campaign is None:
                raise DomainError("请选择正在投票的评选。")
            services.cast_public_ballot(
                token=token, campaign=campaign, nominations=_ballot_from(request, campaign)
            )
        except DomainError as exc:
            error = exc.message
        else:
            messages.success(request, "投票成功，感谢您的参与！")
            return redirect("honors:vote", token=token)
    return render(
        request,
        "honors/vote.html",
        {
            "ticket": ticket,
            "token": token,
            "ballots": [_ballot_context(c, ticket) for c in campaigns],
            "error": error,
        },
        status=400 if error else 200,
    )


def _ballot_context(campaign: Campaign, ticket: Ticket) -> dict:
    return {
        "campaign": campaign,
        "groups": selectors.count_groups(campaign),
        "voted": selectors.ticket_has_voted(campaign, ticket),
    }


@require_GET
def live_counts(request, pk: int):
    """实时票数 (htmx partial, polled every 10 s while the vote runs)."""
    campaign = get_object_or_404(Campaign.objects.exclude(status=Campaign.Status.NOMINATING), pk=pk)
    return render(
        request,
        "honors/_counts.html",
        {"campaign": campaign, "groups": selectors.count_groups(campaign)},
    )


# Campaigns -------------------------------------------------------------------------------------


@role_required(*permissions.CAMPAIGN_READER_ROLES)
def campaign_list(request):
    filters = read_filters(request, CampaignFilter)
    rows = selectors.campaign_list(user=request.user, filters=filters)
    return render(
        request,
        "honors/campaign_list.html",
        {
            "page": page_of(request, rows),
            "filters": filters,
            "query": query_without_page(request),
            "statuses": Campaign.Status.choices,
            "can_manage": permissions.can_manage(request.user),
        },
    )


@role_required(*permissions.ADMIN_ROLES)
def campaign_create(request):
    form = CampaignForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            campaign = services.create_campaign(actor=request.user, **form.cleaned_data)
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, "已发起评选，各部门可以推荐。")
            return redirect("honors:campaign_detail", pk=campaign.pk)
    return render(request, "honors/campaign_form.html", {"form": form})


STEPS = {
    "open-voting": (services.open_voting, "已开始投票。"),
    "close-voting": (services.close_voting, "投票已结束，进入评审。"),
    "rank": (services.rank_campaign, "已计算排名。"),
    "publish": (services.publish_campaign, "已公布评选结果。"),
}


def _forms(request, campaign: Campaign) -> dict:
    return {
        "nominate": NominationForm(
            prefix="nominate",
            windows=selectors.windows_for(request.user),
            staff=selectors.staff_for(request.user).select_related("department"),
        ),
        "panel": PanelForm(
            prefix="panel",
            users=get_user_model().objects.filter(groups__name=Role.GRADER.value, is_active=True),
            initial={"judges": list(campaign.panel.all())},
        ),
    }


def _post_action(request, campaign: Campaign, forms: dict) -> bool:
    """Run the posted action; True when done (the caller redirects)."""
    action = request.POST.get("action", "")
    if action in STEPS:
        service, done = STEPS[action]
        service(actor=request.user, campaign=campaign)
        messages.success(request, done)
        return True
    if action == "nominate":
        form = forms["nominate"] = NominationForm(
            request.POST,
            prefix="nominate",
            windows=selectors.windows_for(request.user),
            staff=selectors.staff_for(request.user),
        )
        if not form.is_valid():
            return False
        try:
            services.nominate(actor=request.user, campaign=campaign, **form.cleaned_data)
        except DomainError as exc:
            add_domain_error(form, exc)
            return False
        messages.success(request, "已推荐。")
        return True
    if action == "panel":
        form = forms["panel"] = PanelForm(
            request.POST, prefix="panel", users=forms["panel"].fields["judges"].queryset
        )
        if not form.is_valid():
            return False
        services.set_panel(actor=request.user, campaign=campaign, users=form.cleaned_data["judges"])
        messages.success(request, "已设置评审组。")
        return True
    if action == "vote":
        services.cast_staff_ballot(
            actor=request.user, campaign=campaign, nominations=_ballot_from(request, campaign)
        )
        messages.success(request, "投票成功。")
        return True
    return _post_on_nomination(request, campaign, action)


def _post_on_nomination(request, campaign: Campaign, action: str) -> bool:
    nomination = campaign.nominations.filter(pk=_id(request.POST.get("nomination"))).first()
    if nomination is None or action not in ("score", "citation"):
        raise DomainError("未知的操作。")
    if action == "score":
        form = ScoreForm(request.POST)
        if not form.is_valid():
            raise DomainError("分数须为 0 至 100 之间的数。", field="score")
        services.score_nomination(actor=request.user, nomination=nomination, **form.cleaned_data)
        messages.success(request, f"已为 {nomination.subject_label} 打分。")
        return True
    form = CitationForm(request.POST)
    if not form.is_valid():
        raise DomainError("颁奖词须为 10 至 1000 个字。", field="citation")
    services.set_citation(actor=request.user, nomination=nomination, **form.cleaned_data)
    messages.success(request, f"已保存 {nomination.subject_label} 的颁奖词。")
    return True


def _id(value) -> int | None:
    text = str(value or "")
    return int(text) if text.isascii() and text.isdigit() and len(text) <= 18 else None


def _with_my_scores(nominations, user, campaign: Campaign) -> list[Nomination]:
    scores = selectors.my_scores(user, campaign)
    rows = list(nominations)
    for n in rows:
        n.my_score = scores.get(n.pk)
    return rows


@role_required(*permissions.CAMPAIGN_READER_ROLES)
def campaign_detail(request, pk: int):
    campaign = get_object_or_404(selectors.campaigns_visible_to(request.user), pk=pk)
    nominations = selectors.nominations_of(campaign)
    if request.GET.get("export") == "xlsx":
        return xlsx_response(
            transfer.export_nominations(nominations),
            f"{campaign.name}_推荐与排名.xlsx",
            request=request,
            what="honors.nomination",
        )
    forms = _forms(request, campaign)
    status = 200
    if request.method == "POST":
        try:
            if _post_action(request, campaign, forms):
                return redirect("honors:campaign_detail", pk=pk)
        except PermissionDeniedError as exc:
            raise PermissionDenied(exc.message) from None
        except DomainError as exc:
            messages.error(request, exc.message)
        status = 400
    return render(
        request,
        "honors/campaign_detail.html",
        {
            "campaign": campaign,
            "nominations": _with_my_scores(nominations, request.user, campaign),
            "forms": forms,
            "kinds": Kind.choices,
            "groups": selectors.count_groups(campaign),
            "voted": selectors.staff_has_voted(campaign, request.user),
            "can_manage": permissions.can_manage(request.user),
            "can_nominate": permissions.can_nominate_for(request.user, None)
            or selectors.departments_for(request.user).exists(),
            "can_score": permissions.can_score(request.user, campaign),
            "can_vote": permissions.can_vote_as_staff(request.user),
            "live_seconds": LIVE_SECONDS,
        },
        status=status,
    )


@role_required(*permissions.NOMINATOR_ROLES)
def certificate(request, pk: int):
    """荣誉证书 (docx) of an awarded nomination of a published campaign."""
    nomination = get_object_or_404(
        Nomination.objects.select_related("campaign", "window", "staff", "department"),
        pk=pk,
        awarded=True,
        campaign__status=Campaign.Status.PUBLISHED,
    )
    if not permissions.can_certify(request.user, nomination):
        raise PermissionDenied
    response = HttpResponse(certificate_docx(nomination), content_type=DOCX)
    response["Content-Disposition"] = f'attachment; filename="certificate-{nomination.pk}.docx"'
    return response


@role_required(Role.CENTER_ADMIN, Role.LOBBY_MANAGER, Role.CLERK)
def ticket_qr(request, pk: int):
    """投票二维码 of a served ticket, for the window or the lobby to show or print."""
    ticket = get_object_or_404(Ticket, pk=pk, status=Ticket.Status.DONE)
    url = request.build_absolute_uri(reverse("honors:vote", args=[vote_token(ticket)]))
    return render(
        request, "honors/ticket_qr.html", {"ticket": ticket, "url": url, "qr": qr_svg(url)}
    )


# Commendations ---------------------------------------------------------------------------------


@role_required(*permissions.COMMENDATION_READER_ROLES)
def commendation_list(request):
    filters = read_filters(request, CommendationFilter)
    rows = selectors.commendation_list(user=request.user, filters=filters)
    if request.GET.get("export") == "xlsx":
        return xlsx_response(
            transfer.export_commendations(rows),
            f"表彰_{timezone.localdate():%Y%m%d}.xlsx",
            request=request,
            what="honors.commendation",
        )
    counts = selectors.commendation_counts(
        user=request.user,
        start=date_param(request.GET, "start"),
        end=date_param(request.GET, "end"),
    )
    return render(
        request,
        "honors/commendation_list.html",
        {
            "page": page_of(request, rows),
            "filters": filters,
            "query": query_without_page(request),
            "types": Commendation.Type.choices,
            "counts": counts,
            "departments": selectors.departments_for(request.user),
            "can_record": permissions.can_record_commendation(request.user, None)
            or selectors.departments_for(request.user).exists(),
        },
    )


@role_required(*permissions.COMMENDATION_ROLES)
def commendation_create(request):
    form = CommendationForm(
        request.POST or None,
        request.FILES or None,
        windows=selectors.windows_for(request.user),
        staff=selectors.staff_for(request.user),
        departments=selectors.departments_for(request.user),
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.record_commendation(actor=request.user, kind=data.pop("type"), **data)
        except PermissionDeniedError as exc:
            raise PermissionDenied(exc.message) from None
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, "已登记。")
            return redirect("honors:commendation_list")
    return render(
        request,
        "honors/commendation_form.html",
        {"form": form},
        status=400 if form.errors else 200,
    )


@role_required(*permissions.COMMENDATION_READER_ROLES)
def commendation_scan(request, pk: int):
    """The scan or photo, only to those who may see the commendation."""
    commendation = get_object_or_404(
        selectors.commendations_visible_to(request.user).exclude(scan=""), pk=pk
    )
    return uploads.serve_upload(commendation.scan, content_type=commendation.scan_type)
