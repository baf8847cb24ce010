"""1call services: asking, the follow-up identity and its lockout, claim/reply/transfer/close,
the 1call rating, FAQ promotion, the roster; each refusal changes nothing."""

import pytest

from chuangkou.consult import selectors, services
from chuangkou.consult.models import Consultation, FaqEntry, Message
from chuangkou.core.errors import DomainError, PermissionDeniedError
from chuangkou.core.models import AuditEntry
from chuangkou.feedback.models import Evaluation, Rectification

from .conftest import PHONE, ask_about

pytestmark = pytest.mark.django_db


def test_ask_gives_a_code_and_deadlines(cw):
    c = ask_about(cw, cw.catalog.shop)
    assert len(c.code) == 10 and c.status == Consultation.Status.WAITING
    assert c.department == cw.dept_a and c.masked_phone == "138****5678"
    assert c.first_reply_due < c.resolve_due
    assert c.messages.get().author == Message.Author.PERSON
    entry = AuditEntry.objects.get(action="consult.ask")
    assert "5678" in str(entry.after) and PHONE not in str(entry.after)


@pytest.mark.parametrize(
    ("question", "phone", "field"),
    [
        ("", PHONE, "question"),
        ("   \x00 ", PHONE, "question"),
        ("问" * 1001, PHONE, "question"),
        ("怎么办？", "", "phone"),
        ("怎么办？", "12345", "phone"),
        ("怎么办？", "1381234567x", "phone"),
    ],
)
def test_bad_questions_are_refused(cw, question, phone, field):
    with pytest.raises(DomainError) as exc:
        ask_about(cw, question=question, phone=phone)
    assert exc.value.field == field
    assert not Consultation.objects.exists()


def test_rate_limits_per_phone_and_per_address(cw):
    for _ in range(services.ASK_PER_PHONE[0]):
        ask_about(cw)
    with pytest.raises(DomainError, match="该手机号提问过于频繁") as exc:
        ask_about(cw)
    assert exc.value.status == 429
    for n in range(services.ASK_PER_IP[0]):
        ask_about(cw, phone=f"139000000{n:02d}", ip="10.0.0.9")
    with pytest.raises(DomainError, match="本网络提问过于频繁"):
        ask_about(cw, phone="13700000000", ip="10.0.0.9")


def test_thread_by_code_and_last_four(cw):
    c = ask_about(cw)
    assert services.find_thread(code=c.code.lower(), last4="5678", ip="1.1.1.1") == c
    with pytest.raises(DomainError) as wrong:
        services.find_thread(code=c.code, last4="0000", ip="1.1.1.2")
    with pytest.raises(DomainError) as unknown:
        services.find_thread(code="ABCDEFGHJK", last4="5678", ip="1.1.1.3")
    assert wrong.value.message == unknown.value.message == services.NOT_FOUND
    assert wrong.value.status == unknown.value.status == 404


def test_lockout_after_repeated_misses_even_with_the_right_digits(cw):
    c = ask_about(cw)
    for n in range(services.MISSES_ALLOWED):
        with pytest.raises(DomainError, match="不正确"):
            services.find_thread(code=c.code, last4=f"{n:04d}", ip=f"2.2.2.{n}")
    with pytest.raises(DomainError, match="次数过多") as exc:
        services.find_thread(code=c.code, last4="5678", ip="2.2.2.99")
    assert exc.value.status == 429


def test_claim_reply_close_rate(cw):
    c = ask_about(cw, cw.catalog.shop)
    services.claim(actor=cw.clerk_a1, consultation=c)
    c.refresh_from_db()
    assert c.agent == cw.a1 and c.status == Consultation.Status.CLAIMED
    with pytest.raises(DomainError, match="已被其他坐席认领（甲一）") as exc:
        services.claim(actor=cw.clerk_a2, consultation=c)
    assert exc.value.status == 409
    with pytest.raises(PermissionDeniedError):
        services.reply(actor=cw.clerk_a2, consultation=c, body="答复")
    with pytest.raises(DomainError, match="尚未答复"):
        services.close(actor=cw.clerk_a1, consultation=c)
    with pytest.raises(DomainError, match="办结后才能评价"):
        services.rate_answer(consultation=c, level=5)
    services.reply(
        actor=cw.clerk_a1, consultation=c, body="请携带身份证和经营场所证明到 A01 窗口。"
    )
    c.refresh_from_db()
    assert c.status == Consultation.Status.ANSWERED and c.first_reply_at
    assert " 身份证 " in c.search_tokens
    services.close(actor=cw.clerk_a1, consultation=c)
    evaluation = services.rate_answer(consultation=c, level=4, comment="很清楚")
    assert evaluation.channel == Evaluation.Channel.ONECALL
    assert evaluation.staff == cw.a1 and evaluation.department == cw.dept_a
    assert evaluation.subject_label == "1call 在线咨询"
    with pytest.raises(DomainError, match="已评价过"):
        services.rate_answer(consultation=c, level=1)
    with pytest.raises(DomainError, match="评价等级"):
        services.rate_answer(consultation=c, level=9)
    actions = set(AuditEntry.objects.values_list("action", flat=True))
    assert {"consult.claim", "consult.reply", "consult.close", "feedback.rate"} <= actions


def test_only_rostered_clerks_of_the_domain_claim(cw):
    c = ask_about(cw, cw.catalog.shop)  # department A
    with pytest.raises(PermissionDeniedError, match="值班名单"):
        services.claim(actor=cw.clerk_b1, consultation=c)
    with pytest.raises(PermissionDeniedError):
        services.claim(actor=cw.admin, consultation=c)
    general = ask_about(cw, phone="13900000001")
    services.claim(actor=cw.clerk_b1, consultation=general)  # 综合: any rostered clerk
    c.refresh_from_db()
    assert c.status == Consultation.Status.WAITING and c.agent is None


def test_transfer_to_another_domain(cw):
    c = ask_about(cw, cw.catalog.shop)
    services.claim(actor=cw.clerk_a1, consultation=c)
    with pytest.raises(DomainError, match="另一个业务领域"):
        services.transfer(actor=cw.clerk_a1, consultation=c, department=cw.dept_a)
    services.transfer(actor=cw.clerk_a1, consultation=c, department=cw.dept_b, note="社保问题")
    c.refresh_from_db()
    assert c.department == cw.dept_b and c.agent is None
    assert c.status == Consultation.Status.WAITING
    assert c.messages.filter(author="system", body__contains="人力社保局").exists()
    assert AuditEntry.objects.filter(action="consult.transfer").count() == 1
    assert c not in selectors.consultations_visible_to(cw.clerk_a1)
    assert c in selectors.consultations_visible_to(cw.clerk_b1)
    services.claim(actor=cw.clerk_b1, consultation=c)


def test_promote_good_answer_to_faq(cw, client):
    c = ask_about(cw, cw.catalog.shop, question="个体户可以网上办吗？")
    services.claim(actor=cw.clerk_a1, consultation=c)
    with pytest.raises(DomainError, match="尚未答复"):
        services.promote_to_faq(actor=cw.clerk_a1, consultation=c)
    services.reply(actor=cw.clerk_a1, consultation=c, body="可以，登录浙江政务服务网办理。")
    with pytest.raises(PermissionDeniedError):
        services.promote_to_faq(actor=cw.clerk_a2, consultation=c)
    faq = services.promote_to_faq(actor=cw.clerk_a1, consultation=c)
    assert faq.matter == cw.catalog.shop and faq.is_published
    with pytest.raises(DomainError, match="已推荐入库"):
        services.promote_to_faq(actor=cw.admin, consultation=c)
    page = client.get(f"/guide/matter/{cw.catalog.shop.code}/")
    assert "个体户可以网上办吗？" in page.content.decode()
    services.withdraw_faq(actor=cw.admin, faq=faq)
    assert (
        "个体户可以网上办吗？"
        not in client.get(f"/guide/matter/{cw.catalog.shop.code}/").content.decode()
    )
    assert FaqEntry.objects.count() == 1


def test_roster_rules(cw):
    import datetime as dt

    day = dt.date(2030, 1, 7)
    services.add_duty(actor=cw.admin, staff=cw.a3, department=None, date=day, shift="am")
    with pytest.raises(DomainError, match="已有排班"):
        services.add_duty(actor=cw.admin, staff=cw.a3, department=cw.dept_a, date=day, shift="am")
    with pytest.raises(DomainError, match="班次"):
        services.add_duty(actor=cw.admin, staff=cw.a3, department=None, date=day, shift="night")
    with pytest.raises(PermissionDeniedError):
        services.add_duty(actor=cw.clerk_a1, staff=cw.a3, department=None, date=day, shift="pm")


def test_follow_up_until_closed(cw):
    c = ask_about(cw, cw.catalog.shop)
    services.follow_up(consultation=c, body="还有，需要本人到场吗？")
    assert c.messages.count() == 2
    services.claim(actor=cw.clerk_a1, consultation=c)
    services.reply(actor=cw.clerk_a1, consultation=c, body="需要。")
    services.close(actor=cw.admin, consultation=c)
    with pytest.raises(DomainError, match="已办结"):
        services.follow_up(consultation=c, body="再问一下")


def test_overview_counts_breaches_and_ratings(cw):
    import datetime as dt
    from zoneinfo import ZoneInfo

    tz = ZoneInfo("Asia/Shanghai")
    asked = dt.datetime(2024, 10, 9, 9, tzinfo=tz)
    late = ask_about(cw, cw.catalog.shop, at=asked)
    quick = ask_about(cw, cw.catalog.food, at=asked, phone="13900000002")
    services.claim(actor=cw.clerk_a1, consultation=late, at=asked)
    services.reply(
        actor=cw.clerk_a1, consultation=late, body="答复", at=asked + dt.timedelta(hours=1)
    )
    services.close(actor=cw.clerk_a1, consultation=late, at=asked + dt.timedelta(days=3))
    services.claim(actor=cw.clerk_a2, consultation=quick, at=asked)
    services.reply(
        actor=cw.clerk_a2, consultation=quick, body="答复", at=asked + dt.timedelta(minutes=10)
    )
    services.close(actor=cw.clerk_a2, consultation=quick, at=asked + dt.timedelta(minutes=20))
    services.rate_answer(consultation=quick, level=5)
    services.rate_answer(consultation=late, level=2)
    o = selectors.overview(dt.date(2024, 10, 9), dt.date(2024, 10, 9))
    assert o.volume == 2 and o.closed == 2
    assert o.first_reply_breaches == 1 and o.resolve_breaches == 1
    assert o.avg_first_reply_minutes == 35.0  # (60 + 10) / 2
    assert o.ratings[5] == 1 and o.ratings[2] == 1 and o.satisfaction == 50.0
    assert {m["matter__name"] for m in o.top_matters} == {
        "个体工商户设立登记",
        "食品经营许可证核发",
    }


def test_inbox_flags_what_is_about_to_breach(cw):
    import datetime as dt

    c = ask_about(cw, cw.catalog.shop)
    rows = selectors.inbox(cw.clerk_a1, now=c.first_reply_due - dt.timedelta(minutes=5))
    assert rows[0].consultation == c and rows[0].soon
    rows = selectors.inbox(cw.clerk_a1, now=c.first_reply_due + dt.timedelta(minutes=5))
    assert rows[0].breached
    assert selectors.inbox(cw.clerk_b1) == []


def _closed(cw, phone=PHONE):
    c = ask_about(cw, cw.catalog.shop, phone=phone)
    services.claim(actor=cw.clerk_a1, consultation=c)
    services.reply(actor=cw.clerk_a1, consultation=c, body="请携带身份证。")
    return services.close(actor=cw.clerk_a1, consultation=c)


@pytest.mark.parametrize("level", [2, 1])
def test_a_bad_1call_rating_opens_one_rectification(cw, level):
    c = _closed(cw)
    evaluation = services.rate_answer(consultation=c, level=level, comment="没说清楚")
    rect = Rectification.objects.get()
    assert rect.evaluation == evaluation and rect.state == Rectification.State.PENDING
    assert rect.callback_due <= rect.reply_due
    assert evaluation.contact_phone == PHONE  # kept for the callback, shown masked
    assert rect.events.get().action == "差评生成整改"
    with pytest.raises(DomainError, match="已评价过"):  # double submit: still one
        services.rate_answer(consultation=c, level=level)
    assert Rectification.objects.count() == 1 and Evaluation.objects.count() == 1


@pytest.mark.parametrize("level", [5, 4, 3])
def test_a_good_1call_rating_opens_none(cw, level):
    evaluation = services.rate_answer(consultation=_closed(cw), level=level)
    assert not Rectification.objects.exists() and evaluation.contact_phone == ""
