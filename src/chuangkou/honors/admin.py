"""Data maintenance only: campaigns, votes and commendations are written by the audited
services, so they are read-only here."""

from django.contrib import admin

from chuangkou.core.admin import ReadOnlyAdmin

from .models import Campaign, Commendation, Nomination, ReviewScore, Vote


@admin.register(Campaign)
class CampaignAdmin(ReadOnlyAdmin):
    list_display = ["name", "status", "period_start", "period_end", "vote_start", "vote_end"]


@admin.register(Nomination)
class NominationAdmin(ReadOnlyAdmin):
    list_display = ["campaign", "kind", "department", "votes", "final_score", "rank", "awarded"]


@admin.register(Vote)
class VoteAdmin(ReadOnlyAdmin):
    list_display = ["campaign", "nomination", "kind", "channel", "cast_at"]


@admin.register(ReviewScore)
class ReviewScoreAdmin(ReadOnlyAdmin):
    list_display = ["nomination", "judge", "score"]


@admin.register(Commendation)
class CommendationAdmin(ReadOnlyAdmin):
    list_display = ["type", "received_on", "department", "window", "staff", "title"]
