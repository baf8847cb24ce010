"""课件汇编成册: the selected courseware of a year compiled into a Word handbook: a cover, a
table of contents (a TOC field Word fills in on opening), one chapter per business domain with
each entry's summary and key points, and an appendix listing the original files."""

import io
from collections import defaultdict

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Pt

from .models import Courseware

CHINESE_NUMBERS = "一二三四五六七八九十"


def _toc(document) -> None:
    """A TOC field over heading levels 1–2 (Word updates it; the placeholder says so)."""
    paragraph = document.add_paragraph()
    run = paragraph.add_run()
    begin, instr, separate, end = (
        OxmlElement("w:fldChar"),
        OxmlElement("w:instrText"),
        OxmlElement("w:fldChar"),
        OxmlElement("w:fldChar"),
    )
    begin.set(qn("w:fldCharType"), "begin")
    instr.set(qn("xml:space"), "preserve")
    instr.text = 'TOC \\o "1-2" \\h \\z \\u'
    separate.set(qn("w:fldCharType"), "separate")
    end.set(qn("w:fldCharType"), "end")
    placeholder = OxmlElement("w:t")
    placeholder.text = "（打开文档后右键“更新域”生成目录）"
    for element in (begin, instr, separate, placeholder, end):
        run._r.append(element)
    document.settings.element.append(_update_fields())


def _update_fields():
    update = OxmlElement("w:updateFields")
    update.set(qn("w:val"), "true")
    return update


def _chapter_number(i: int) -> str:
    return CHINESE_NUMBERS[i] if i < len(CHINESE_NUMBERS) else str(i + 1)


def _size(size: int) -> str:
    return f"{size / 1024 / 1024:.1f} MB" if size >= 1024 * 1024 else f"{max(1, size // 1024)} KB"


def handbook_docx(coursewares: list[Courseware], *, title: str) -> bytes:
    """The handbook of `coursewares` (grouped by domain, in the order given)."""
    document = Document()
    document.styles["Normal"].font.size = Pt(11)
    cover = document.add_paragraph()
    cover.alignment = WD_ALIGN_PARAGRAPH.CENTER
    cover.add_run("\n\n\n" + title).bold = True
    cover.runs[0].font.size = Pt(26)
    note = document.add_paragraph(f"共 {len(coursewares)} 篇课件")
    note.alignment = WD_ALIGN_PARAGRAPH.CENTER
    note.add_run().add_break(WD_BREAK.PAGE)
    document.add_heading("目录", level=1)
    _toc(document)
    chapters: dict[str, list[Courseware]] = defaultdict(list)
    for c in coursewares:
        chapters[c.domain].append(c)
    for i, (domain, entries) in enumerate(chapters.items()):
        document.add_page_break()
        document.add_heading(f"第{_chapter_number(i)}章　{domain}", level=1)
        for entry in entries:
            document.add_heading(entry.title, level=2)
            document.add_paragraph(f"主讲人：{entry.speaker}")
            document.add_paragraph(entry.summary)
            for point in entry.points:
                document.add_paragraph(point, style="List Bullet")
    document.add_page_break()
    document.add_heading("附录　课件原文件清单", level=1)
    table = document.add_table(rows=1, cols=4)
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, ("序号", "课件", "原文件名", "大小"), strict=True):
        cell.text = text
    for n, entry in enumerate(coursewares, start=1):
        row = table.add_row().cells
        row[0].text, row[1].text = str(n), entry.title
        row[2].text, row[3].text = entry.original_name, _size(entry.size)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
