"""The 大 PK's lifecycle (筹备中 → 评分投票中 → 已结束): scores and votes only while open,
results by criterion with ranks, the Excel export, the selection for the handbook; the pages
and the API over the same services."""

import io

import pytest
from docx import Document
from openpyxl import load_workbook

from chuangkou.core.errors import DomainError
from chuangkou.core.models import AuditEntry
from chuangkou.core.roles import Role
from chuangkou.training import selectors, services
from chuangkou.training.models import Courseware, PkContest, PkScore, PkVote
from tests.factories import UserFactory

from .test_courseware import upload

FULL = {"内容实用性": 40, "案例典型性": 30, "讲解表达": 20, "课件制作": 10}


@pytest.fixture
def draft(tw):
    tw.entries = [upload(tw, title=f"课件{i}", domain=d) for i, d in enumerate("甲乙甲")]
    tw.judge = UserFactory(username="judge", roles=[Role.GRADER])
    tw.judge2 = UserFactory(username="judge2", roles=[Role.GRADER])
    tw.pk = services.create_pk(
        actor=tw.admin,
        name="2018 业务讲堂大 PK",
        year=2018,
        entries=tw.entries,
        panel=[tw.judge, tw.judge2],
    )
    return tw


def _actions(contest) -> list[str]:
    return list(
        AuditEntry.objects.filter(object_type="training.pkcontest", object_id=str(contest.pk))
        .order_by("pk")
        .values_list("action", flat=True)
    )


def test_lifecycle_refuses_scores_and_votes_outside_open(draft):
    c = draft
    assert c.pk.status == PkContest.Status.DRAFT
    with pytest.raises(DomainError, match="尚未开始") as refused:
        services.score_entry(actor=c.judge, contest=c.pk, courseware=c.entries[0], points=FULL)
    assert refused.value.status == 409
    with pytest.raises(DomainError, match="尚未开始"):
        services.vote_entry(actor=c.clerk_a1, contest=c.pk, courseware=c.entries[0])
    with pytest.raises(DomainError, match="不能结束"):
        services.close_pk(actor=c.admin, contest=c.pk)
    with pytest.raises(DomainError, match="结束后才能"):
        services.select_pk_entries(actor=c.admin, contest=c.pk, entries=c.entries[:1])
    with pytest.raises(DomainError, match="权限"):
        services.open_pk(actor=c.clerk_a1, contest=c.pk)

    contest = services.open_pk(actor=c.admin, contest=c.pk)
    assert contest.status == PkContest.Status.OPEN and contest.opened_at
    with pytest.raises(DomainError, match="不能再开始"):
        services.open_pk(actor=c.admin, contest=c.pk)
    services.score_entry(actor=c.judge, contest=c.pk, courseware=c.entries[0], points=FULL)
    services.vote_entry(actor=c.clerk_a1, contest=c.pk, courseware=c.entries[1])

    closed = services.close_pk(actor=c.admin, contest=c.pk)
    assert closed.status == PkContest.Status.CLOSED and closed.closed_at
    with pytest.raises(DomainError, match="已结束"):
        services.score_entry(actor=c.judge2, contest=c.pk, courseware=c.entries[0], points=FULL)
    with pytest.raises(DomainError, match="已结束"):
        services.vote_entry(actor=c.clerk_b1, contest=c.pk, courseware=c.entries[0])
    with pytest.raises(DomainError, match="不能再开始"):
        services.open_pk(actor=c.admin, contest=c.pk)
    assert PkScore.objects.count() == 1 and PkVote.objects.count() == 1
    assert _actions(c.pk) == ["training.pk.create", "training.pk.open", "training.pk.close"]
    close = AuditEntry.objects.get(action="training.pk.close")
    assert close.after["ranking"][0]["entry"] == c.entries[0].pk


def test_open_needs_entries_and_a_panel(tw):
    empty = services.create_pk(actor=tw.admin, name="空", year=2017, entries=[], panel=[tw.admin])
    with pytest.raises(DomainError, match="参赛课件"):
        services.open_pk(actor=tw.admin, contest=empty)
    entry = upload(tw)
    no_panel = services.create_pk(
        actor=tw.admin, name="无评委", year=2016, entries=[entry], panel=[]
    )
    with pytest.raises(DomainError, match="评委"):
        services.open_pk(actor=tw.admin, contest=no_panel)


def test_non_finite_scores_refused(draft):
    c = draft
    services.open_pk(actor=c.admin, contest=c.pk)
    for bad in ("NaN", "Infinity", "-inf", None, "1e999999", "", [1]):
        with pytest.raises(DomainError, match="数字|之间"):
            services.score_entry(
                actor=c.judge,
                contest=c.pk,
                courseware=c.entries[0],
                points=FULL | {"讲解表达": bad},
            )
    assert not PkScore.objects.exists()


def _scored_and_closed(c):
    services.open_pk(actor=c.admin, contest=c.pk)
    half = {k: v / 2 for k, v in FULL.items()}
    services.score_entry(actor=c.judge, contest=c.pk, courseware=c.entries[0], points=FULL)
    services.score_entry(actor=c.judge2, contest=c.pk, courseware=c.entries[0], points=half)
    services.score_entry(actor=c.judge, contest=c.pk, courseware=c.entries[1], points=half)
    services.vote_entry(actor=c.clerk_a1, contest=c.pk, courseware=c.entries[1])
    services.vote_entry(actor=c.clerk_b1, contest=c.pk, courseware=c.entries[1])
    services.close_pk(actor=c.admin, contest=c.pk)


def test_results_by_criterion_and_rank(draft):
    c = draft
    _scored_and_closed(c)
    rows = selectors.pk_standings(c.pk)
    assert [r.courseware for r in rows] == c.entries  # a tie keeps the order of entry
    second, first, last = rows
    # entry 1: review 50 × 0.8 + votes 100 × 0.2 = 60; entry 0: 75 × 0.8 = 60 → shared rank
    assert (first.final, second.final) == (60.0, 60.0) and (first.rank, second.rank) == (1, 1)
    assert last.rank == 3 and last.by_criterion == (None, None, None, None)
    assert second.by_criterion == (30.0, 22.5, 15.0, 7.5) and second.average == 75.0
    assert second.judges == 2 and first.votes == 2


def test_selection_after_close(draft):
    c = draft
    _scored_and_closed(c)
    c.entries[2].selected = True
    Courseware.objects.filter(pk=c.entries[2].pk).update(selected=True)
    chosen = services.select_pk_entries(actor=c.admin, contest=c.pk, entries=c.entries[:2])
    assert {x.pk for x in chosen} == {c.entries[0].pk, c.entries[1].pk}
    assert set(Courseware.objects.filter(selected=True)) == set(c.entries[:2])
    entry = AuditEntry.objects.get(action="training.pk.select")
    assert entry.before == {"selected": [c.entries[2].pk]}
    outsider = upload(c, title="场外课件")
    with pytest.raises(DomainError, match="不在本次"):
        services.select_pk_entries(actor=c.admin, contest=c.pk, entries=[outsider])
    with pytest.raises(DomainError, match="至少"):
        services.select_pk_entries(actor=c.admin, contest=c.pk, entries=[])
    with pytest.raises(DomainError, match="权限"):
        services.select_pk_entries(actor=c.clerk_a1, contest=c.pk, entries=c.entries[:1])
    data = services.compile_handbook(actor=c.admin, year=c.entries[0].year)
    titles = [p.text for p in Document(io.BytesIO(data)).paragraphs]
    assert "课件0" in titles and "课件2" not in titles


def test_pages_open_close_results_export_select(draft, client_as):
    c = draft
    admin, clerk = client_as(c.admin), client_as(c.clerk_a1)
    url = f"/training/pk/{c.pk.pk}/"
    page = admin.get(url).content.decode()
    assert "筹备中" in page and "data-confirm" in page and "开始评分投票" in page
    refused = clerk.post(url, {"action": "vote", "courseware": c.entries[0].pk}, follow=True)
    assert "尚未开始" in refused.content.decode() and not PkVote.objects.exists()
    assert clerk.post(f"{url}open/").status_code == 403
    assert admin.post(f"{url}open/").status_code == 302
    assert "结束并公布结果" in admin.get(url).content.decode()
    again = admin.post(f"{url}open/", follow=True).content.decode()
    assert "不能再开始" in again
    clerk.post(url, {"action": "vote", "courseware": c.entries[0].pk})
    assert PkVote.objects.count() == 1
    hidden = clerk.get(f"{url}results/").content.decode()
    assert "结束后公布" in hidden and "课件0" not in hidden
    assert clerk.get(f"{url}results/?export=xlsx").status_code == 403
    assert admin.post(f"{url}close/").status_code == 302
    shown = clerk.get(f"{url}results/").content.decode()
    assert "课件0" in shown and "内容实用性" in shown
    export = admin.get(f"{url}results/?export=xlsx")
    assert export.status_code == 200
    sheet = load_workbook(io.BytesIO(export.content)).active
    header = [cell.value for cell in sheet[1]]
    assert header[:2] == ["名次", "课件"] and "内容实用性（满分 40）" in header
    assert sheet.max_row == 4
    assert AuditEntry.objects.filter(action="data.export", object_type="training.pk").exists()
    selected = admin.post(f"{url}select/", {"entries": [c.entries[0].pk, "x", "99999999999"]})
    assert selected.status_code == 302
    assert list(Courseware.objects.filter(selected=True)) == [c.entries[0]]
    none = admin.post(f"{url}select/", {"entries": ["abc"]}, follow=True).content.decode()
    assert "至少" in none
    assert admin.get("/training/pk/99999999999/results/").status_code == 404


# -- API --------------------------------------------------------------------------------------


def test_api_pk_lifecycle(draft, api_client_as):
    c = draft
    admin, clerk, judge = (api_client_as(u) for u in (c.admin, c.clerk_a1, c.judge))
    base = f"/training/pk/{c.pk.pk}"
    state = clerk.get(base).json()
    assert state["status"] == "draft" and state["judge"] is False and len(state["entry_ids"]) == 3
    assert admin.get("/training/pk").json()[0]["id"] == c.pk.pk
    early = clerk.post(f"{base}/votes", {"courseware_id": c.entries[0].pk})
    assert early.status_code == 409 and "尚未开始" in early.json()["detail"]
    assert clerk.post(f"{base}/state", {"status": "open"}).status_code == 403
    assert admin.post(f"{base}/state", {"status": "paused"}).status_code == 422
    assert admin.post(f"{base}/state", {"status": "open"}).json()["status"] == "open"
    scored = judge.post(
        f"{base}/scores", {"courseware_id": c.entries[0].pk, "points": FULL | {"讲解表达": 15}}
    )
    assert scored.status_code == 200 and scored.json()["total"] == "95.0"
    over = judge.post(f"{base}/scores", {"courseware_id": c.entries[0].pk, "points": {"x": 1}})
    assert over.status_code == 400
    assert (
        clerk.post(f"{base}/scores", {"courseware_id": c.entries[0].pk, "points": FULL}).status_code
        == 403
    )
    assert (
        judge.post(f"{base}/scores", {"courseware_id": 999999, "points": FULL}).status_code == 404
    )
    vote = clerk.post(f"{base}/votes", {"courseware_id": c.entries[0].pk})
    assert vote.status_code == 201
    assert clerk.post(f"{base}/votes", {"courseware_id": c.entries[1].pk}).status_code == 409
    assert clerk.get(base).json()["voted"] is True
    assert clerk.get(f"{base}/results").status_code == 409
    assert admin.get(f"{base}/results").json()[0]["courseware_id"] == c.entries[0].pk
    assert admin.post(f"{base}/state", {"status": "closed"}).json()["status"] == "closed"
    results = clerk.get(f"{base}/results").json()
    assert results[0]["rank"] == 1 and results[0]["by_criterion"] == [40.0, 30.0, 15.0, 10.0]
    picked = admin.post(f"{base}/selection", {"courseware_ids": [c.entries[0].pk]})
    assert picked.status_code == 200 and picked.json()[0]["selected"] is True
    bad = admin.post(f"{base}/selection", {"courseware_ids": [99999999]})
    assert bad.status_code == 400
    assert clerk.post(f"{base}/selection", {"courseware_ids": [c.entries[0].pk]}).status_code == 403
    year = c.entries[0].year
    docx = admin.get("/training/handbook", {"year": year})
    assert docx.status_code == 200 and Document(io.BytesIO(docx.content)).paragraphs
    assert admin.get("/training/handbook", {"year": year - 1}).status_code == 404
    assert admin.get("/training/handbook", {"year": 1999}).status_code == 422
    assert admin.get("/training/handbook", {"year": "x"}).status_code == 422
    assert clerk.get("/training/handbook", {"year": year}).status_code == 403
    assert admin.get("/training/pk/99999999999999999999").status_code in (404, 422)


@pytest.mark.django_db(transaction=True)
def test_a_vote_racing_the_close_is_either_counted_or_refused():
    """The close and a vote at once: the contest row is locked by both, so the vote lands
    before the close (counted in the audited ranking) or is refused after it."""
    from tests.concurrency import race
    from tests.conftest import build_org_small

    from .conftest import build_training

    tw = build_training(build_org_small())
    entries = [upload(tw, title=f"课件{i}") for i in range(2)]
    contest = services.create_pk(
        actor=tw.admin, name="PK", year=2018, entries=entries, panel=[tw.admin]
    )
    services.open_pk(actor=tw.admin, contest=contest)
    done, refused = race(
        [
            lambda: services.close_pk(actor=tw.admin, contest=contest),
            lambda: services.close_pk(actor=tw.admin, contest=contest),
            lambda: services.vote_entry(actor=tw.clerk_a1, contest=contest, courseware=entries[0]),
        ]
    )
    votes = PkVote.objects.filter(contest=contest).count()
    assert done == 1 + votes and len(refused) == 2 - votes, refused
    assert all("不能结束" in m or "已结束" in m for m in refused)
    ranking = AuditEntry.objects.get(action="training.pk.close").after["ranking"]
    assert sum(row["votes"] for row in ranking) == votes
