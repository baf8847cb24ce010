"""The reviewers' home card: pre-reviews waiting for them (待预审)."""

from chuangkou.core.home import HomeCard

from . import permissions, selectors
from .models import PreReview


def waiting(user) -> dict | None:
    visible = selectors.prereviews_visible_to(user)
    count = visible.filter(status=PreReview.Status.REVIEWING).count()
    if not count and not permissions.is_center_admin(user):
        return None
    return {"prereview_waiting": count}


CARDS = [HomeCard("prereview/_home_waiting.html", permissions.REVIEWER_ROLES, waiting, order=34)]
