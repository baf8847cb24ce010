from django import template
from django.urls import reverse

from chuangkou.core.masking import mask_phone

from .. import registry, vapid
from ..models import Subscription

register = template.Library()


@register.inclusion_tag("notify/_optin.html", takes_context=True)
def notify_optin(context, kind: str, token):
    """The opt-in card of a ticket's phone page or a booking page."""
    subject = registry.resolve(kind, token)
    if subject is None:
        return {"subject": None}
    rows = Subscription.objects.filter(subject_kind=kind, subject_id=subject.id)
    current = rows.filter(is_active=True).first()
    opted_out = current is None and rows.exists()
    args = [kind, token]
    return {
        "subject": subject,
        "subscription": current,
        "given_phone": "" if opted_out else mask_phone(subject.phone),
        "opted_out": opted_out,
        "csrf_token": context.get("csrf_token"),
        "optin_url": reverse("notify:optin", args=args),
        "optout_url": reverse("notify:optout", args=args),
        "pending_url": reverse("notify:pending", args=args),
        "push_url": reverse("notify:push", args=args),
        "sw_url": reverse("notify:service_worker"),
        "vapid_key": vapid.application_server_key() if current and current.browser else "",
        "is_ticket": kind == "ticket",
    }
