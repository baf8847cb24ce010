"""Finished competitions imported (candidates by 工号, written and interview scores): the same
ranking and tiers as a competition run in the platform, every error of a bad file listed and
nothing written, audited."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from chuangkou.core.errors import DomainError
from chuangkou.selection import services
from chuangkou.selection.finished_import import COLUMNS, FinishedCompetitionImport
from chuangkou.selection.models import Candidate, Competition

from ..tables import csv_bytes, last_audit, xlsx_bytes
from .conftest import TIERS, make_competition, temporary_staff

HEADERS = [c.header for c in COLUMNS]
NOTICE = {"notice_start": dt.date(2018, 6, 1), "notice_end": dt.date(2018, 6, 7)}


def _draft(admin, tiers=TIERS) -> Competition:
    competition = make_competition(admin, name="2017 年竞聘（平台外）")
    services.set_tiers(actor=admin, competition=competition, tiers=tiers)
    return competition


def _outcomes(competition) -> list[tuple]:
    return [
        (c.staff_id, c.final_score, c.rank, c.outcome, c.tier.name if c.tier else None)
        for c in competition.candidates.select_related("tier").order_by("staff_id")
    ]


def test_an_imported_competition_ranks_and_tiers_like_one_run_here(ranked):
    competition = _draft(ranked.admin)
    rows = [
        [c.staff.staff_no, c.staff.name, c.written_score, c.interview_score, "参加", "", ""]
        for c in Candidate.objects.filter(competition=ranked.competition).select_related("staff")
    ]
    extra = temporary_staff(1)[0]
    rows.append([extra.staff_no, "", "", "", "放弃", "个人原因", ""])
    importer = FinishedCompetitionImport(actor=ranked.admin, competition=competition, **NOTICE)
    report = importer.run(content=csv_bytes(HEADERS, rows), filename="2017.csv")
    assert report.ok, report.errors
    assert report.created == 5
    competition.refresh_from_db()
    assert competition.status == Competition.Status.FINAL
    assert competition.notice_end == NOTICE["notice_end"]
    imported = [o for o in _outcomes(competition) if o[0] != extra.pk]
    assert imported == _outcomes(ranked.competition)
    gone = competition.candidates.get(staff=extra)
    assert gone.status == Candidate.Status.WITHDRAWN and gone.rank is None
    entry = last_audit("selection.import_finished_file")
    assert entry.after["result"] == "succeeded" and entry.object_id == str(competition.pk)
    assert last_audit("selection.import_finished").after["status"] == "final"


def test_a_tie_across_tiers_needs_the_order_the_file_gives(admin):
    competition = _draft(admin)
    a, b, c = temporary_staff(3)
    rows = [
        [a.staff_no, "", 90, 90, "", "", ""],
        [b.staff_no, "", 80, 80, "", "", ""],
        [c.staff_no, "", 80, 80, "", "", ""],
    ]
    importer = FinishedCompetitionImport(actor=admin, competition=competition, **NOTICE)
    # 一档 1 seat, 二档 2: b and c share rank 2 within 二档, no tie across tiers
    assert importer.run(content=xlsx_bytes(HEADERS, rows), filename="a.xlsx").ok
    other = _draft(admin, tiers=[{"name": "一档", "quota": 2, "annual_amount": 24000}])
    tied = [rows[0], rows[1], rows[2]]
    report = FinishedCompetitionImport(actor=admin, competition=other, **NOTICE).run(
        content=xlsx_bytes(HEADERS, tied), filename="b.xlsx"
    )
    assert {(e.row, e.column) for e in report.errors} == {(3, "并列顺位"), (4, "并列顺位")}
    resolved = [rows[0], [*rows[1][:6], 2], [*rows[2][:6], 1]]
    report = FinishedCompetitionImport(actor=admin, competition=other, **NOTICE).run(
        content=xlsx_bytes(HEADERS, resolved), filename="c.xlsx"
    )
    assert report.ok, report.errors
    placed = {x.staff_id: x.outcome for x in other.candidates.all()}
    assert placed == {a.pk: "placed", c.pk: "placed", b.pk: "unplaced"}


def test_a_row_with_many_bad_cells_lists_each_and_writes_nothing(admin):
    competition = _draft(admin)
    (a,) = temporary_staff(1)
    rows = [
        [a.staff_no, "", 88, 90, "", "", ""],
        ["CK-NOBODY", "x" * 51, 101, "九十", "迟到", "y" * 201, 0],
        [a.staff_no, "别人", "", "", "", "", ""],
    ]
    report = FinishedCompetitionImport(actor=admin, competition=competition, **NOTICE).run(
        content=xlsx_bytes(HEADERS, rows), filename="bad.xlsx"
    )
    bad = {(e.row, e.column) for e in report.errors}
    assert {(3, c) for c in HEADERS} <= bad  # seven bad cells, seven errors
    assert (4, "姓名") in bad
    assert not competition.candidates.exists()
    competition.refresh_from_db()
    assert competition.status == Competition.Status.DRAFT
    entry = last_audit("selection.import_finished_file")
    assert entry.after["result"] == "rejected" and entry.after["errors"] == report.error_count


def test_only_a_competition_waiting_for_results_with_a_past_notice(ranked):
    with pytest.raises(DomainError):
        FinishedCompetitionImport(actor=ranked.admin, competition=ranked.competition, **NOTICE).run(
            content=b"", filename="x.csv"
        )
    competition = _draft(ranked.admin)
    today = timezone.localdate()
    with pytest.raises(DomainError):
        FinishedCompetitionImport(
            actor=ranked.admin, competition=competition, notice_start=today, notice_end=today
        ).run(content=b"", filename="x.csv")


def test_the_import_page(admin, client_as):
    competition = _draft(admin)
    (a,) = temporary_staff(1)
    client = client_as(admin)
    url = f"/selection/{competition.pk}/finished/import/"
    assert client.get(url).status_code == 200
    template = client.get(f"/selection/{competition.pk}/finished/template.xlsx")
    assert template.status_code == 200 and template.content[:2] == b"PK"
    upload = SimpleUploadedFile("r.csv", csv_bytes(HEADERS, [[a.staff_no, "", 80, 80]]))
    response = client.post(
        url, {"notice_start": "2018-06-01", "notice_end": "2018-06-07", "file": upload}
    )
    assert response.status_code == 302
    competition.refresh_from_db()
    assert competition.status == Competition.Status.FINAL
    for page in ("ranking/", "", "candidates/", "ranking/?export=xlsx"):
        assert client.get(f"/selection/{competition.pk}/{page}").status_code == 200
    assert client.get(f"/selection/notice/{competition.pk}/").status_code == 200
