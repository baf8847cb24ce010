"""Every write of 评先表彰, by topic: campaigns (nominate, review, rank, publish), voting,
commendations."""

from .campaigns import (
    close_voting,
    create_campaign,
    nominate,
    open_voting,
    publish_campaign,
    rank_campaign,
    score_nomination,
    set_citation,
    set_panel,
)
from .commendations import record_commendation
from .voting import cast_public_ballot, cast_staff_ballot

__all__ = [
    "cast_public_ballot",
    "cast_staff_ballot",
    "close_voting",
    "create_campaign",
    "nominate",
    "open_voting",
    "publish_campaign",
    "rank_campaign",
    "record_commendation",
    "score_nomination",
    "set_citation",
    "set_panel",
]
