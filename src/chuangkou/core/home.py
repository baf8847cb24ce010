"""The home page's cards: each app lists its cards in `<app>/home.py` as `CARDS`.

A card shows to a user holding any of its roles, when its `context(user)` returns a dict (None
hides it: a clerk without a staff record has no window to show).
"""

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from importlib import import_module

from django.apps import apps
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from . import selectors
from .audit_display import action_label
from .roles import Role, roles_of


@dataclass(frozen=True)
class HomeCard:
    template: str
    roles: tuple[Role, ...]
    context: Callable[[object], dict | None]
    order: int = 100


def _all_cards() -> list[HomeCard]:
    cards: list[HomeCard] = []
    for config in apps.get_app_configs():
        if not config.name.startswith("chuangkou."):
            continue
        try:
            module = import_module(f"{config.name}.home")
        except ModuleNotFoundError:
            continue
        cards.extend(getattr(module, "CARDS", []))
    return sorted(cards, key=lambda c: c.order)


def cards_for(user) -> list[dict]:
    """[{template, **context}] of the cards the user's roles see, in order."""
    held = roles_of(user)
    shown = []
    for card in _all_cards():
        if not held & set(card.roles):
            continue
        context = card.context(user)
        if context is not None:
            shown.append({"template": card.template, **context})
    return shown


# --- the cards of core ------------------------------------------------------------------------

SENSITIVE_PREFIXES = ("account.", "auth.login_failed", "auth.otp_failed", "auth.recovery", "audit.")
RECENT = 10


def _security(user) -> dict:
    """安全管理员: accounts locked now and the latest sensitive actions."""
    now = timezone.now()
    locked = get_user_model().objects.filter(locked_until__gt=now).order_by("locked_until")
    sensitive = selectors.audit_entries().filter(_starts_with_any(SENSITIVE_PREFIXES))
    return {"locked": list(locked[:20]), "recent": _labelled(sensitive[:RECENT])}


def _audit_summary(user) -> dict:
    """审计员: entries of the last 7 days by category, and the latest entries."""
    since = timezone.localdate() - dt.timedelta(days=6)
    week = selectors.audit_entries(start=since)
    by_action: dict[str, int] = {}
    for code in week.values_list("action", flat=True)[:20000]:
        label = action_label(code)
        by_action[label] = by_action.get(label, 0) + 1
    top = sorted(by_action.items(), key=lambda kv: -kv[1])[:8]
    return {
        "week_total": week.count(),
        "by_action": top,
        "recent": _labelled(selectors.audit_entries()[:RECENT]),
    }


def _accounts_overview(user) -> dict:
    """系统管理员: accounts in use, stopped and locked, the administrative accounts that must
    sign in with two factors but have not enrolled yet, and role changes awaiting approval."""
    from .services.two_factor import otp_required

    users = get_user_model().objects
    enrolled = TOTPDevice.objects.filter(user=OuterRef("pk"), confirmed=True)
    admins = (
        users.filter(is_active=True, groups__name__in=settings.OTP_REQUIRED_ROLES)
        .exclude(Exists(enrolled))
        .distinct()
        .order_by("username")
    )
    return {
        "active": users.filter(is_active=True).count(),
        "stopped": users.filter(is_active=False).count(),
        "locked": users.filter(is_active=True, locked_until__gt=timezone.now()).count(),
        "without_otp": [u for u in admins[:50] if otp_required(u)],
        "pending_requests": selectors.pending_role_requests().count(),
    }


def _starts_with_any(prefixes) -> Q:
    q = Q()
    for prefix in prefixes:
        q |= Q(action__startswith=prefix)
    return q


def _labelled(entries) -> list[dict]:
    return [
        {
            "at": e.created_at,
            "who": e.actor_name,
            "what": action_label(e.action),
            "obj": e.object_repr,
        }
        for e in entries
    ]


CARDS = [
    HomeCard("core/_home_security.html", (Role.SECADMIN,), _security, order=10),
    HomeCard("core/_home_audit.html", (Role.AUDITOR,), _audit_summary, order=10),
    HomeCard("core/_home_accounts.html", (Role.SYSADMIN,), _accounts_overview, order=10),
]
