"""Access to 1call: the ask/track/thread/FAQ pages and public endpoints are open to anyone
(identity for a thread is the tracking code plus the phone's last four digits); the inbox and a
consultation's desk for clerks (clerk01 is on duty for department A) and the center admin;
claiming and replying only for the rostered clerk; roster, overview and FAQ withdrawal for the
center admin."""

import datetime as dt

from django.utils import timezone

from chuangkou.consult import services

from .matrix import ALL_SIGNED_IN, CA, CLERK, Access

DESK = frozenset({CLERK, CA})
AGENT = frozenset({CLERK})
ADMIN = frozenset({CA})
API = "/api/v1/consult"
PHONE = "13812345678"


def build(w) -> dict:
    """clerk01 on duty for A today; a waiting question about 个体工商户 (A); one held and
    answered by clerk01; a promoted FAQ entry from a third."""
    today = timezone.localdate()
    duty = services.add_duty(actor=w.admin, staff=w.a1, department=w.dept_a, date=today, shift="am")
    shop = w.catalog.shop
    waiting = services.ask(question="个体户怎么注册？", phone=PHONE, matter=shop)
    held = services.ask(question="营业执照丢了怎么办？", phone=PHONE, matter=shop)
    services.claim(actor=w.clerk_a1, consultation=held)
    services.reply(actor=w.clerk_a1, consultation=held, body="登报声明后申请补领。")
    done = services.ask(question="个体户可以网上办吗？", phone="13900001111", matter=shop)
    services.claim(actor=w.clerk_a1, consultation=done)
    services.reply(actor=w.clerk_a1, consultation=done, body="可以。")
    faq = services.promote_to_faq(actor=w.admin, consultation=done)
    return {
        "consult_duty": duty.pk,
        "consult_waiting": waiting.pk,
        "consult_held": held.pk,
        "consult_code": held.code,
        "consult_faq": faq.pk,
        "consult_day": (today + dt.timedelta(days=3)).isoformat(),
    }


def _public(method: str, path: str, ok: int = 200, **kwargs) -> Access:
    return Access(method, path, ALL_SIGNED_IN, ok=ok, anonymous=ok, **kwargs)


_IDENTITY = {"code": "{consult_code}", "last4": PHONE[-4:]}
HELD = "/consult/c/{consult_held}"

ACCESS: list[Access] = [
    # public pages
    _public("GET", "/consult/", url_name="consult:ask"),
    _public("GET", "/consult/?code=T-SJ-001"),
    _public("GET", "/consult/track/", url_name="consult:track"),
    _public("GET", "/consult/t/{consult_code}/", url_name="consult:thread"),
    _public("GET", "/consult/faq/", url_name="consult:faq"),
    # the desk
    Access("GET", "/consult/inbox/", DESK, url_name="consult:inbox"),
    Access("GET", "/consult/suggest/?q=营业执照", DESK, url_name="consult:suggest"),
    Access("GET", f"{HELD}/", DESK, url_name="consult:detail"),
    Access("POST", "/consult/c/{consult_waiting}/claim/", AGENT, ok=302, url_name="consult:claim"),
    Access(
        "POST", f"{HELD}/reply/", AGENT, ok=302, data={"body": "补充"}, url_name="consult:reply"
    ),
    Access(
        "POST",
        f"{HELD}/transfer/",
        DESK,
        ok=302,
        data={"department": "{dept_b}"},
        url_name="consult:transfer",
    ),
    Access("POST", f"{HELD}/close/", DESK, ok=302, url_name="consult:close"),
    Access(
        "POST",
        f"{HELD}/promote/",
        DESK,
        ok=302,
        data={"question": "问", "answer": "答"},
        url_name="consult:promote",
    ),
    # the center admin
    Access("GET", "/consult/roster/", ADMIN, url_name="consult:roster"),
    Access(
        "POST",
        "/consult/roster/{consult_duty}/remove/",
        ADMIN,
        ok=302,
        url_name="consult:roster_remove",
    ),
    Access("GET", "/consult/overview/", ADMIN, url_name="consult:overview"),
    Access("GET", "/consult/overview/?export=xlsx", ADMIN),
    Access(
        "POST",
        "/consult/faq/{consult_faq}/withdraw/",
        ADMIN,
        ok=302,
        url_name="consult:faq_withdraw",
    ),
    # public API
    _public(
        "POST",
        f"{API}/public/consultations",
        ok=201,
        data={"question": "结婚登记要带什么？", "phone": "13700001234"},
    ),
    _public("POST", f"{API}/public/thread", data=_IDENTITY),
    _public("POST", f"{API}/public/follow-ups", ok=201, data={**_IDENTITY, "body": "还有问题"}),
    _public("POST", f"{API}/public/ratings", ok=400, data={**_IDENTITY, "level": 5}),
    _public("GET", f"{API}/public/faq"),
    # desk API
    Access("GET", f"{API}/inbox", DESK),
    Access("GET", f"{API}/consultations/{{consult_held}}", DESK),
    Access("POST", f"{API}/consultations/{{consult_waiting}}/claim", AGENT),
    Access(
        "POST",
        f"{API}/consultations/{{consult_held}}/replies",
        AGENT,
        ok=201,
        data={"body": "补充"},
    ),
    Access(
        "POST",
        f"{API}/consultations/{{consult_held}}/transfer",
        DESK,
        data={"department_id": "{dept_b}"},
    ),
    Access("POST", f"{API}/consultations/{{consult_held}}/close", DESK),
    Access("POST", f"{API}/consultations/{{consult_held}}/faq", DESK, ok=201, data={}),
    Access("GET", f"{API}/suggestions?q=营业执照", DESK),
    # admin API
    Access("GET", f"{API}/roster", ADMIN),
    Access(
        "POST",
        f"{API}/roster",
        ADMIN,
        ok=201,
        data={"staff_id": "{staff_a3}", "date": "{consult_day}", "shift": "pm"},
    ),
    Access("DELETE", f"{API}/roster/{{consult_duty}}", ADMIN),
    Access("GET", f"{API}/overview", ADMIN),
]
