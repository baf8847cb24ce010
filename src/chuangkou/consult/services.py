"""Writes of 1call: asking, following a thread, the agents' claim/reply/transfer/close, the
person's rating, FAQ promotion and the duty roster. Each write checks who acts first and records
its audit entry in the same transaction."""

import datetime as dt
import secrets

from django.db import IntegrityError, transaction
from django.utils import timezone

from chuangkou.catalog.models import Matter
from chuangkou.catalog.text import index_tokens, without_controls
from chuangkou.core import audit, ratelimit
from chuangkou.core.errors import DomainError, PermissionDeniedError
from chuangkou.core.permissions import require_role
from chuangkou.core.validators import validate_mobile
from chuangkou.feedback import services as feedback
from chuangkou.feedback.models import BAD_LEVELS, Evaluation, Level
from chuangkou.org.models import Center, Department, Staff

from . import permissions, search, sla
from .models import MAX_QUESTION, MAX_REPLY, Consultation, DutyShift, FaqEntry, Message

PUBLIC = "办事群众（1call）"
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I/L
CODE_LENGTH = 10
ASK_PER_PHONE = (5, 3600)  # questions of one phone per hour
ASK_PER_IP = (20, 3600)  # questions from one address per hour
FOLLOW_PER_IP = (30, 3600)  # follow-up messages from one address per hour
MISSES_ALLOWED = 5  # wrong code/digits before the lockout
LOCKOUT_SECONDS = 900
NOT_FOUND = "查询码或手机号后四位不正确，请核对后重试。"
LOCKED = "查询失败次数过多，请 15 分钟后再试。"


def _text(value, *, field: str, what: str, limit: int) -> str:
    text = without_controls(value if isinstance(value, str) else "").strip()
    if not text:
        raise DomainError(f"请填写{what}。", field=field)
    if len(text) > limit:
        raise DomainError(f"{what}不能超过 {limit} 个字（现 {len(text)} 字）。", field=field)
    return text


def _new_code() -> str:
    while True:
        code = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
        if not Consultation.objects.filter(code=code).exists():
            return code


def default_center() -> Center | None:
    return Center.objects.filter(parent__isnull=True).order_by("pk").first()


@transaction.atomic
def ask(
    *,
    question: str,
    phone: str,
    matter: Matter | None = None,
    center: Center | None = None,
    ip: str | None = None,
    at: dt.datetime | None = None,
) -> Consultation:
    """在线咨询: anyone asks a question (phone required, masked afterwards) and gets a code."""
    question = _text(question, field="question", what="咨询内容", limit=MAX_QUESTION)
    phone = validate_mobile(phone if isinstance(phone, str) else "", field="phone")
    if not phone:
        raise DomainError("请填写手机号，用于查询答复。", field="phone")
    if matter is not None and not matter.is_active:
        raise DomainError("该事项已停用，请重新选择。", field="matter")
    limit, seconds = ASK_PER_PHONE
    too_many = "该手机号提问过于频繁，请 1 小时后再试或拨打咨询电话。"
    ratelimit.check_rate("consult-ask-phone", phone, limit=limit, seconds=seconds, message=too_many)
    if ip:
        limit, seconds = ASK_PER_IP
        message = "本网络提问过于频繁，请稍后再试。"
        ratelimit.check_rate("consult-ask-ip", ip, limit=limit, seconds=seconds, message=message)
    center = center or default_center()
    if center is None:
        raise DomainError("咨询服务暂未开通。", field="question")
    asked_at = at or timezone.now()
    first_due, resolve_due = sla.deadlines(asked_at)
    consultation = Consultation.objects.create(
        code=_new_code(),
        center=center,
        matter=matter,
        department_id=matter.department_id if matter is not None else None,
        question=question,
        phone=phone,
        created_at=asked_at,
        first_reply_due=first_due,
        resolve_due=resolve_due,
    )
    Message.objects.create(
        consultation=consultation, author=Message.Author.PERSON, body=question, created_at=asked_at
    )
    audit.record(
        actor=None,
        actor_name=PUBLIC,
        action="consult.ask",
        obj=consultation,
        after={"matter": matter.code if matter else "", "phone": consultation.masked_phone},
    )
    return consultation


def _miss_keys(code: str, ip: str | None) -> list[tuple[str, str]]:
    keys = [("consult-miss-code", code[:20])]
    if ip:
        keys.append(("consult-miss-ip", ip))
    return keys


def find_thread(*, code: str, last4: str, ip: str | None = None) -> Consultation:
    """The consultation of `code` when `last4` are its phone's last four digits. A wrong code
    and wrong digits get the same answer; after MISSES_ALLOWED misses (per code and per
    address) every attempt is refused for LOCKOUT_SECONDS."""
    code = code.strip().upper() if isinstance(code, str) else ""
    last4 = last4.strip() if isinstance(last4, str) else ""
    keys = _miss_keys(code, ip)
    if any(
        ratelimit.hits_so_far(scope, key, seconds=LOCKOUT_SECONDS) >= MISSES_ALLOWED
        for scope, key in keys
    ):
        raise DomainError(LOCKED, field="code", status=429)
    found = None
    if code.isalnum() and len(code) == CODE_LENGTH and len(last4) == 4 and last4.isdigit():
        found = Consultation.objects.filter(code=code).first()
    if found is None or not secrets.compare_digest(found.phone[-4:], last4):
        for scope, key in keys:
            ratelimit.hit(scope, key, seconds=LOCKOUT_SECONDS)
        raise DomainError(NOT_FOUND, field="code", status=404)
    return found


@transaction.atomic
def follow_up(*, consultation: Consultation, body: str, ip: str | None = None) -> Message:
    """追问: the person adds to their open thread."""
    if ip:
        limit, seconds = FOLLOW_PER_IP
        ratelimit.check_rate("consult-follow", ip, limit=limit, seconds=seconds)
    body = _text(body, field="body", what="追问内容", limit=MAX_QUESTION)
    consultation = Consultation.objects.select_for_update().get(pk=consultation.pk)
    if consultation.status == Consultation.Status.CLOSED:
        raise DomainError("该咨询已办结，如有新问题请重新提问。", field="body")
    message = Message.objects.create(
        consultation=consultation, author=Message.Author.PERSON, body=body
    )
    audit.record(actor=None, actor_name=PUBLIC, action="consult.follow_up", obj=consultation)
    return message


def _locked(consultation: Consultation) -> Consultation:
    return Consultation.objects.select_for_update().get(pk=consultation.pk)


def _agent_staff(actor) -> Staff:
    require_role(actor, *permissions.AGENT_ROLES)
    staff = permissions.staff_of(actor)
    if staff is None:
        raise PermissionDeniedError("您的账号未关联窗口人员，不能处理咨询。")
    return staff


@transaction.atomic
def claim(*, actor, consultation: Consultation, at: dt.datetime | None = None) -> Consultation:
    """认领: one agent takes a waiting consultation; of two at once, exactly one gets it."""
    staff = _agent_staff(actor)
    if not permissions.may_take(actor, consultation):
        raise PermissionDeniedError("您不在该业务领域的 1call 值班名单中。")
    now = at or timezone.now()
    taken = Consultation.objects.filter(
        pk=consultation.pk, status=Consultation.Status.WAITING
    ).update(agent=staff, status=Consultation.Status.CLAIMED, claimed_at=now)
    if not taken:
        current = Consultation.objects.select_related("agent").get(pk=consultation.pk)
        who = f"（{current.agent.name}）" if current.agent_id else ""
        raise DomainError(f"该咨询已被其他坐席认领{who}。", field="consultation", status=409)
    consultation.refresh_from_db()
    audit.record(actor=actor, action="consult.claim", obj=consultation, after={"agent": staff.name})
    return consultation


@transaction.atomic
def reply(
    *, actor, consultation: Consultation, body: str, at: dt.datetime | None = None
) -> Message:
    """答复: the agent holding the consultation answers."""
    if not permissions.is_agent_of(actor, consultation):
        raise PermissionDeniedError("请先认领该咨询再答复。")
    body = _text(body, field="body", what="答复内容", limit=MAX_REPLY)
    consultation = _locked(consultation)
    if consultation.status == Consultation.Status.CLOSED:
        raise DomainError("该咨询已办结。", field="body")
    if not permissions.is_agent_of(actor, consultation):
        raise DomainError("该咨询已转由其他坐席处理。", field="body", status=409)
    now = at or timezone.now()
    message = Message.objects.create(
        consultation=consultation,
        author=Message.Author.AGENT,
        staff=consultation.agent,
        body=body,
        created_at=now,
    )
    consultation.first_reply_at = consultation.first_reply_at or now
    consultation.status = Consultation.Status.ANSWERED
    consultation.answer = body
    consultation.search_tokens = index_tokens(consultation.question, body)
    consultation.save(update_fields=["first_reply_at", "status", "answer", "search_tokens"])
    audit.record(actor=actor, action="consult.reply", obj=consultation)
    search.mark_stale()
    return message


@transaction.atomic
def transfer(
    *, actor, consultation: Consultation, department: Department | None, note: str = ""
) -> Consultation:
    """转办: hand the consultation to another business domain; it waits there to be claimed."""
    if not (permissions.is_admin(actor) or permissions.is_agent_of(actor, consultation)):
        raise PermissionDeniedError("只有处理该咨询的坐席或中心管理员可以转办。")
    consultation = _locked(consultation)
    if consultation.status == Consultation.Status.CLOSED:
        raise DomainError("该咨询已办结，不能转办。", field="department")
    if department is not None and department.pk == consultation.department_id:
        raise DomainError("请选择另一个业务领域。", field="department")
    if department is None and consultation.department_id is None:
        raise DomainError("请选择另一个业务领域。", field="department")
    note = without_controls(note if isinstance(note, str) else "").strip()[:200]
    before = {"domain": consultation.domain_label, "agent": str(consultation.agent or "")}
    consultation.department = department
    consultation.agent = None
    consultation.claimed_at = None
    consultation.status = Consultation.Status.WAITING
    consultation.save(update_fields=["department", "agent", "claimed_at", "status"])
    text = f"已转至“{consultation.domain_label}”" + (f"：{note}" if note else "")
    Message.objects.create(consultation=consultation, author=Message.Author.SYSTEM, body=text)
    audit.record(
        actor=actor,
        action="consult.transfer",
        obj=consultation,
        before=before,
        after={"domain": consultation.domain_label, "note": note},
    )
    return consultation


@transaction.atomic
def close(*, actor, consultation: Consultation, at: dt.datetime | None = None) -> Consultation:
    """办结: after at least one reply, by its agent or the center admin."""
    if not (permissions.is_admin(actor) or permissions.is_agent_of(actor, consultation)):
        raise PermissionDeniedError("只有处理该咨询的坐席或中心管理员可以办结。")
    consultation = _locked(consultation)
    if consultation.status == Consultation.Status.CLOSED:
        raise DomainError("该咨询已办结。", field="consultation", status=409)
    if consultation.first_reply_at is None:
        raise DomainError("尚未答复，不能办结。", field="consultation")
    consultation.status = Consultation.Status.CLOSED
    consultation.closed_at = at or timezone.now()
    consultation.save(update_fields=["status", "closed_at"])
    audit.record(
        actor=actor,
        action="consult.close",
        obj=consultation,
        after={"resolve_breached": consultation.closed_at > consultation.resolve_due},
    )
    return consultation


@transaction.atomic
def rate_answer(*, consultation: Consultation, level, comment: str = "") -> Evaluation:
    """The person rates the answer after closing: 好差评's five levels, channel 1call. A bad
    rating (不满意/非常不满意) opens the same 差评整改 as one at the window, with the
    consultation's phone kept for the callback."""
    if isinstance(level, bool) or not isinstance(level, int) or level not in Level.values:
        raise DomainError("评价等级应为 1（非常不满意）到 5（非常满意）。", field="level")
    consultation = _locked(consultation)
    if consultation.status != Consultation.Status.CLOSED:
        raise DomainError("咨询办结后才能评价。", field="level")
    if consultation.evaluation_id:
        raise DomainError("您已评价过本次咨询。", field="level", status=409)
    now = timezone.now()
    agent = consultation.agent
    evaluation = Evaluation.objects.create(
        channel=Evaluation.Channel.ONECALL,
        level=level,
        comment=without_controls(comment if isinstance(comment, str) else "").strip()[:500],
        contact_phone=consultation.phone if level in BAD_LEVELS else "",
        staff=agent,
        department_id=consultation.department_id or (agent.department_id if agent else None),
        center=consultation.center,
        created_at=now,
        rated_on=timezone.localdate(now),
    )
    consultation.evaluation = evaluation
    consultation.save(update_fields=["evaluation"])
    audit.record(
        actor=None,
        actor_name=PUBLIC,
        action="feedback.rate",
        obj=evaluation,
        after={"channel": evaluation.channel, "level": level, "subject": str(consultation)},
    )
    if level in BAD_LEVELS:
        feedback.open_rectification(evaluation)
    return evaluation


@transaction.atomic
def promote_to_faq(
    *, actor, consultation: Consultation, question: str = "", answer: str = ""
) -> FaqEntry:
    """推荐为知识库: a good answer becomes a public FAQ entry of the consultation's matter."""
    if not (permissions.is_admin(actor) or permissions.is_agent_of(actor, consultation)):
        raise PermissionDeniedError("只有处理该咨询的坐席或中心管理员可以推荐入库。")
    consultation = _locked(consultation)
    if consultation.first_reply_at is None or not consultation.answer:
        raise DomainError("尚未答复的咨询不能入库。", field="answer")
    question = _text(question or consultation.question, field="question", what="问题", limit=300)
    answer = _text(answer or consultation.answer, field="answer", what="答复", limit=MAX_REPLY)
    try:
        with transaction.atomic():
            faq = FaqEntry.objects.create(
                matter=consultation.matter,
                question=question,
                answer=answer,
                source=consultation,
                created_by=actor,
            )
    except IntegrityError:
        raise DomainError("该咨询已推荐入库。", field="answer", status=409) from None
    audit.record(
        actor=actor, action="consult.promote_faq", obj=faq, after={"from": consultation.code}
    )
    search.mark_stale()
    return faq


@transaction.atomic
def withdraw_faq(*, actor, faq: FaqEntry) -> FaqEntry:
    """下架: the center admin takes an FAQ entry off the public guide."""
    require_role(actor, *permissions.ADMIN_ROLES)
    faq.is_published = False
    faq.save(update_fields=["is_published"])
    audit.record(actor=actor, action="consult.withdraw_faq", obj=faq)
    search.mark_stale()
    return faq


@transaction.atomic
def add_duty(
    *, actor, staff: Staff, department: Department | None, date: dt.date, shift: str
) -> DutyShift:
    """排班: put a clerk on 1call duty for a domain in one shift."""
    require_role(actor, *permissions.ADMIN_ROLES)
    if shift not in DutyShift.Shift.values:
        raise DomainError("班次应为上午或下午。", field="shift")
    if staff.status != Staff.Status.ACTIVE:
        raise DomainError(f"{staff.name} 不在岗，不能排班。", field="staff")
    if DutyShift.objects.filter(staff=staff, date=date, shift=shift).exists():
        raise DomainError(f"{staff.name} 在该班次已有排班。", field="staff", status=409)
    try:
        with transaction.atomic():
            duty = DutyShift.objects.create(
                staff=staff, department=department, date=date, shift=shift
            )
    except IntegrityError:
        raise DomainError(f"{staff.name} 在该班次已有排班。", field="staff", status=409) from None
    audit.record(
        actor=actor,
        action="consult.add_duty",
        obj=duty,
        after={"staff": staff.name, "domain": duty.domain_label, "date": str(date), "shift": shift},
    )
    return duty


@transaction.atomic
def remove_duty(*, actor, duty: DutyShift) -> None:
    require_role(actor, *permissions.ADMIN_ROLES)
    audit.record(
        actor=actor,
        action="consult.remove_duty",
        obj=duty,
        before={"staff": duty.staff.name, "date": str(duty.date), "shift": duty.shift},
    )
    duty.delete()
