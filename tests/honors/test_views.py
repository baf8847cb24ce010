"""Pages: the phone vote by QR, the campaign page's actions, commendations with a scan,
the certificate as a docx that python-docx opens."""

import io

import pytest
from docx import Document
from PIL import Image

from chuangkou.core.roles import Role
from chuangkou.honors import services
from chuangkou.honors.models import Commendation, Nomination, Vote
from chuangkou.honors.services.voting import vote_token
from tests.factories import UserFactory

from .conftest import served

pytestmark = pytest.mark.django_db


def test_citizen_votes_on_the_phone_page(voting, client):
    ticket = served(voting)
    url = f"/honors/v/{vote_token(ticket)}/"
    page = client.get(url)
    assert page.status_code == 200 and ticket.number in page.content.decode()
    done = client.post(url, {"campaign": voting.campaign.pk, "window": voting.n["A01"].pk})
    assert done.status_code == 302
    again = client.post(url, {"campaign": voting.campaign.pk, "window": voting.n["B01"].pk})
    assert again.status_code == 400 and "已投过" in again.content.decode()
    assert Vote.objects.count() == 1
    assert client.get("/honors/v/forged/").status_code == 404


def test_live_counts_partial_polls_while_voting(voting, client):
    html = client.get(f"/honors/campaigns/{voting.campaign.pk}/counts/").content.decode()
    assert 'hx-trigger="every 10s"' in html and "<script" not in html


def _through_publication(w):
    services.close_voting(actor=w.admin, campaign=w.campaign)
    for n in w.n.values():
        for judge in w.judges:
            services.score_nomination(actor=judge, nomination=n, score=90)
    services.rank_campaign(actor=w.admin, campaign=w.campaign)
    for n in Nomination.objects.filter(awarded=True):
        services.set_citation(actor=w.admin, nomination=n, citation="用心服务每一位办事群众。")
    services.publish_campaign(actor=w.admin, campaign=w.campaign)


def test_certificate_is_a_docx_naming_the_winner(voting, client_as):
    _through_publication(voting)
    winner = Nomination.objects.filter(awarded=True, kind="staff").order_by("rank").first()
    response = client_as(voting.admin).get(f"/honors/nominations/{winner.pk}/certificate/")
    assert response.status_code == 200
    text = "\n".join(p.text for p in Document(io.BytesIO(response.content)).paragraphs)
    assert "荣 誉 证 书" in text and winner.staff.name in text and "最美办事员" in text
    public = client_as(UserFactory()).get("/honors/")
    assert winner.staff.name in public.content.decode()


def test_campaign_page_actions_and_export(hw, client_as):
    admin = client_as(hw.admin)
    page = admin.get(f"/honors/campaigns/{hw.campaign.pk}/")
    assert page.status_code == 200 and "综合得分" in page.content.decode()
    assert (
        admin.post(f"/honors/campaigns/{hw.campaign.pk}/", {"action": "open-voting"}).status_code
        == 302
    )
    hw.campaign.refresh_from_db()
    assert hw.campaign.status == "voting"
    wrong = admin.post(f"/honors/campaigns/{hw.campaign.pk}/", {"action": "rank"})
    assert wrong.status_code == 400 and "评审中" in wrong.content.decode()
    export = admin.get(f"/honors/campaigns/{hw.campaign.pk}/?export=xlsx")
    assert export["Content-Type"].startswith("application/vnd.openxmlformats")


def _photo_with_exif() -> io.BytesIO:
    image = Image.new("RGB", (40, 30), "red")
    exif = Image.Exif()
    exif[0x010F] = "CameraMaker"
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", exif=exif.tobytes())
    buffer.seek(0)
    buffer.name = "banner.jpg"
    return buffer


def test_commendation_with_a_scan_is_served_only_to_those_who_see_it(org_small, client_as):
    admin = client_as(org_small.admin)
    form = {
        "type": "banner",
        "received_on": "2018-03-08",
        "sender": "王先生",
        "window": org_small.w_b01.pk,
    }
    response = admin.post("/honors/commendations/new/", {**form, "scan": _photo_with_exif()})
    assert response.status_code == 302
    commendation = Commendation.objects.get()
    scan = admin.get(f"/honors/commendations/{commendation.pk}/scan/")
    data = b"".join(scan.streaming_content)
    assert scan.status_code == 200 and b"CameraMaker" not in data
    assert (
        client_as(org_small.head_a)
        .get(f"/honors/commendations/{commendation.pk}/scan/")
        .status_code
        == 404
    )
    listed = admin.get("/honors/commendations/?type=banner").content.decode()
    assert "王**" in listed and "王先生" not in listed
    bad = admin.post("/honors/commendations/new/", {**form, "scan": io.BytesIO(b"GIF89a....")})
    assert bad.status_code == 400 and Commendation.objects.count() == 1


def test_head_records_only_for_own_department(org_small, client_as):
    head = client_as(org_small.head_a)
    form = {"type": "letter", "received_on": "2018-03-08", "window": org_small.w_b01.pk}
    response = head.post("/honors/commendations/new/", form)
    assert response.status_code == 400  # B01 is not offered to the head of A
    assert not Commendation.objects.exists()
    clerk = UserFactory(roles=[Role.CLERK])
    assert client_as(clerk).get("/honors/commendations/new/").status_code == 403
