"""荣誉证书 as a Word document (python-docx), one page per awarded nomination."""

import io

from django.utils import timezone
from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Pt

from .models import Kind, Nomination

ISSUER = "区行政服务中心"


def _line(document, text: str, *, size: int, bold: bool = False, align=WD_ALIGN_PARAGRAPH.CENTER):
    paragraph = document.add_paragraph()
    paragraph.alignment = align
    run = paragraph.add_run(text)
    run.font.size = Pt(size)
    run.bold = bold
    return paragraph


def recipient(nomination: Nomination) -> str:
    if nomination.kind == Kind.WINDOW:
        return (
            f"{nomination.department.name} {nomination.window.number} {nomination.window.name}窗口"
        )
    return f"{nomination.staff.name} 同志"


def certificate_docx(nomination: Nomination) -> bytes:
    """The certificate of an awarded nomination: title, recipient, honor, citation, issuer."""
    campaign = nomination.campaign
    document = Document()
    _line(document, "荣 誉 证 书", size=32, bold=True)
    _line(document, recipient(nomination) + "：", size=18, align=WD_ALIGN_PARAGRAPH.LEFT)
    _line(
        document,
        f"在{campaign.name}中，被评为“{nomination.get_kind_display()}”。特发此证，以资鼓励。",
        size=16,
        align=WD_ALIGN_PARAGRAPH.LEFT,
    )
    if nomination.citation:
        _line(document, nomination.citation, size=12, align=WD_ALIGN_PARAGRAPH.LEFT)
    day = timezone.localdate(campaign.published_at) if campaign.published_at else None
    _line(document, ISSUER, size=16, align=WD_ALIGN_PARAGRAPH.RIGHT)
    if day:
        _line(
            document,
            f"{day.year}年{day.month}月{day.day}日",
            size=14,
            align=WD_ALIGN_PARAGRAPH.RIGHT,
        )
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
