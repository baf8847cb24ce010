"""课件 upload (type from the bytes, size), the 大 PK (criteria scores, one vote each, also
under concurrency), the handbook docx checked with python-docx."""

import io
import threading
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from docx import Document

from chuangkou.core import uploads
from chuangkou.core.errors import DomainError
from chuangkou.core.roles import Role
from chuangkou.training import handbook, selectors, services
from chuangkou.training.models import Courseware, PkVote
from chuangkou.training.services import courseware as courseware_services
from tests.factories import StaffFactory, UserFactory


def docx_bytes(text="课件") -> bytes:
    document = Document()
    document.add_paragraph(text)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def pptx_like() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("ppt/presentation.xml", "<p/>")
    return out.getvalue()


def upload(tw, name="讲义.docx", data=None, **change):
    values = {
        "title": "不动产登记一窗受理",
        "domain": "不动产登记",
        "summary": "一窗受理的流程与材料要点。",
        "key_points": "材料清单\n\n容缺受理\n",
        "speaker": "甲二",
        "file": SimpleUploadedFile(name, docx_bytes() if data is None else data),
    } | change
    return services.upload_courseware(actor=tw.clerk_a1, **values)


def test_upload_docx_pptx_pdf(tw):
    doc = upload(tw)
    assert doc.content_type.endswith("wordprocessingml.document") and doc.file.name.endswith(
        ".docx"
    )
    assert doc.points == ["材料清单", "容缺受理"]
    ppt = upload(tw, name="slides.pptx", data=pptx_like())
    assert ppt.file.name.endswith(".pptx")
    pdf = upload(tw, name="a.pdf", data=b"%PDF-1.4\n%%EOF")
    assert pdf.content_type == "application/pdf"


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("evil.docx", b"MZ\x90\x00 not a document", "文件类型不符"),
        ("fake.pptx", b"PK\x03\x04broken zip", "文件类型不符"),
        ("photo.pdf", b"\xff\xd8\xff\xe0JFIF", "文件类型不符"),
        ("empty.pdf", b"", "空的"),
    ],
)
def test_disguised_upload_refused(tw, name, data, message):
    with pytest.raises(DomainError, match=message):
        upload(tw, name=name, data=data)
    assert not Courseware.objects.exists()


def test_oversize_refused(tw, monkeypatch):
    monkeypatch.setattr(courseware_services, "MAX_BYTES", 1024)
    with pytest.raises(DomainError, match="文件太大"):
        upload(tw, data=b"%PDF-" + b"0" * 2000)


@pytest.fixture
def contest(tw):
    tw.entries = [upload(tw, title=f"课件{i}", domain=d) for i, d in enumerate("甲乙甲")]
    tw.judge = UserFactory(username="judge", roles=[Role.GRADER])
    tw.pk = services.create_pk(
        actor=tw.admin, name="2018 业务讲堂大 PK", year=2018, entries=tw.entries, panel=[tw.judge]
    )
    services.open_pk(actor=tw.admin, contest=tw.pk)
    return tw


def test_scores_by_criteria_and_standings(contest):
    c = contest
    full = {"内容实用性": 40, "案例典型性": 30, "讲解表达": 20, "课件制作": 10}
    with pytest.raises(DomainError, match="评委"):
        services.score_entry(actor=c.admin, contest=c.pk, courseware=c.entries[0], points=full)
    with pytest.raises(DomainError, match="0 至 40"):
        services.score_entry(
            actor=c.judge, contest=c.pk, courseware=c.entries[0], points=full | {"内容实用性": 41}
        )
    with pytest.raises(DomainError, match="数字"):
        services.score_entry(
            actor=c.judge, contest=c.pk, courseware=c.entries[0], points={"内容实用性": "x"}
        )
    services.score_entry(actor=c.judge, contest=c.pk, courseware=c.entries[0], points=full)
    half = {k: v / 2 for k, v in full.items()}
    services.score_entry(actor=c.judge, contest=c.pk, courseware=c.entries[1], points=half)
    services.vote_entry(actor=c.clerk_b1, contest=c.pk, courseware=c.entries[1])
    with pytest.raises(DomainError, match="每人限投一票"):
        services.vote_entry(actor=c.clerk_b1, contest=c.pk, courseware=c.entries[0])
    rows = selectors.pk_standings(c.pk)
    assert [(r.courseware, r.review, r.votes) for r in rows[:2]] == [
        (c.entries[0], 100.0, 0),
        (c.entries[1], 50.0, 1),
    ]
    assert rows[0].final == 80.0 and rows[1].final == 60.0


@pytest.mark.django_db(transaction=True)
def test_one_vote_each_under_concurrency():
    from tests.conftest import build_org_small

    from .conftest import build_training

    tw = build_training(build_org_small())
    entries = [upload(tw, title=f"课件{i}") for i in range(2)]
    contest = services.create_pk(
        actor=tw.admin, name="PK", year=2018, entries=entries, panel=[tw.admin]
    )
    services.open_pk(actor=tw.admin, contest=contest)
    voter = UserFactory(username="voter")
    StaffFactory(user=voter, department=tw.dept_a, center=tw.main)
    voter.groups.add(*tw.clerk_a1.groups.all())
    outcomes = []

    def vote(entry):
        try:
            services.vote_entry(actor=voter, contest=contest, courseware=entry)
            outcomes.append("ok")
        except DomainError as exc:
            outcomes.append(exc.message)
        finally:
            connection.close()

    threads = [threading.Thread(target=vote, args=(e,)) for e in entries * 2]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert outcomes.count("ok") == 1, outcomes
    assert PkVote.objects.filter(contest=contest).count() == 1


def test_handbook_docx(contest):
    c = contest
    for entry in c.entries[:2]:
        services.select_for_handbook(actor=c.admin, courseware=entry, selected=True)
    entries = list(selectors.handbook_entries(c.entries[0].year))
    assert len(entries) == 2
    data = handbook.handbook_docx(entries, title="2018 年业务讲堂课件汇编")
    document = Document(io.BytesIO(data))
    texts = [p.text for p in document.paragraphs]
    assert "2018 年业务讲堂课件汇编" in texts[0]
    headings = [
        (p.style.name, p.text) for p in document.paragraphs if p.style.name.startswith("Heading")
    ]
    assert headings == [
        ("Heading 1", "目录"),
        ("Heading 1", "第一章　乙"),
        ("Heading 2", "课件1"),
        ("Heading 1", "第二章　甲"),
        ("Heading 2", "课件0"),
        ("Heading 1", "附录　课件原文件清单"),
    ]
    assert 'TOC \\o "1-2"' in document.element.xml
    assert "材料清单" in texts and "一窗受理的流程与材料要点。" in texts
    appendix = document.tables[0]
    assert [cell.text for cell in appendix.rows[0].cells] == ["序号", "课件", "原文件名", "大小"]
    assert appendix.rows[1].cells[2].text == "讲义.docx" and len(appendix.rows) == 3


def test_pages_upload_vote_score_handbook(contest, client_as):
    c = contest
    clerk = client_as(c.clerk_a1)
    form = {
        "title": "社保业务",
        "domain": "社保",
        "speaker": "乙一",
        "summary": "摘要",
        "key_points": "一\n二",
    }
    bad = clerk.post(
        "/training/courseware/new/", form | {"file": SimpleUploadedFile("x.pdf", b"MZ....")}
    )
    assert bad.status_code == 200 and "文件类型不符" in bad.content.decode()
    good = clerk.post(
        "/training/courseware/new/", form | {"file": SimpleUploadedFile("x.docx", docx_bytes())}
    )
    assert good.status_code == 302
    new = Courseware.objects.get(title="社保业务")
    download = clerk.get(f"/training/courseware/{new.pk}/file/")
    assert download.status_code == 200 and download["Content-Type"].endswith("document")
    entry = c.entries[0]
    clerk.post(f"/training/pk/{c.pk.pk}/", {"action": "vote", "courseware": entry.pk})
    clerk.post(f"/training/pk/{c.pk.pk}/", {"action": "vote", "courseware": c.entries[1].pk})
    assert PkVote.objects.filter(contest=c.pk).count() == 1
    judge = client_as(c.judge)
    judge.post(
        f"/training/pk/{c.pk.pk}/",
        {"action": "score", "courseware": entry.pk, "c0": 30, "c1": 20, "c2": 10, "c3": 5},
    )
    page = clerk.get(f"/training/pk/{c.pk.pk}/").content.decode()
    assert "您已投票" in page and "65.0" not in page  # results published at the close
    assert "65.0" in client_as(c.admin).get(f"/training/pk/{c.pk.pk}/").content.decode()
    assert (
        clerk.post(f"/training/pk/{c.pk.pk}/", {"action": "vote", "courseware": "x"}).status_code
        == 404
    )
    admin = client_as(c.admin)
    assert admin.get(f"/training/courseware/handbook/?year={entry.year}").status_code == 302
    admin.post(f"/training/courseware/{entry.pk}/select/", {"selected": "1"})
    docx = admin.get(f"/training/courseware/handbook/?year={entry.year}")
    assert docx.status_code == 200 and docx["Content-Type"] == uploads.DOCX
    assert Document(io.BytesIO(docx.content)).paragraphs
    for query in ("?year=abc", "?year=99999", "?q=x&domain=甲&year=1"):
        assert admin.get("/training/courseware/" + query).status_code == 200
