"""领导坐班办事体验手册 and the blank 活动记录表, generated as docx from the current
questionnaire (python-docx)."""

import io

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Pt

from .models import Questionnaire

PURPOSE = (
    "推动各进驻部门负责人走进窗口、坐班办事，以群众视角体验“最多跑一次”改革成效，"
    "全方位、全流程查找窗口服务中的痛点、堵点、难点问题，切实破解窗口人员工作难题，补齐短板。"
)
REQUIREMENTS = [
    "各部门负责人每季度至少进中心办事窗口坐班体验一次，每次半天，提前在平台预约时段。",
    "坐班期间与窗口人员同岗同责，亲身受理或陪同办理业务，不干预正常办理流程。",
    "对照“32个问”逐项体验、逐项记录，发现的问题当场能解决的当场解决。",
    "坐班结束当天在平台填写活动记录表，问题纳入痛点堵点难点问题清单跟踪销号。",
]
METHODS = [
    "换位体验：以办事群众身份从咨询、取号开始走完一件事的全过程。",
    "窗口坐班：在窗口与工作人员一起受理业务，体验工作强度和系统操作。",
    "现场访谈：听取办事群众和窗口人员的意见建议。",
]
PROCESS = [
    "预约：在平台“坐班体验”页面选择窗口和半天时段。",
    "体验：按预约时段到岗，对照“32个问”开展体验。",
    "记录：填写活动记录表，逐题作答并登记发现的问题。",
    "处理：问题当场解决，或会商解决，或转入协调；中心按期限跟踪，超期上报。",
    "反馈：中心定期通报坐班人次、发现问题数和解决情况。",
]


def _document(title: str) -> Document:
    doc = Document()
    style = doc.styles["Normal"]
    style.font.name = "SimSun"
    style.element.rPr.rFonts.set(qn("w:eastAsia"), "宋体")
    style.font.size = Pt(12)
    heading = doc.add_heading(title, level=0)
    heading.alignment = WD_ALIGN_PARAGRAPH.CENTER
    return doc


def _stages(questionnaire: Questionnaire) -> list[tuple[str, list]]:
    stages: dict[str, list] = {}
    for question in questionnaire.questions.all():
        stages.setdefault(question.stage, []).append(question)
    return list(stages.items())


def _save(doc: Document) -> bytes:
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()


def handbook(questionnaire: Questionnaire) -> bytes:
    """The handbook: purpose, requirements, method, process and the 32 questions."""
    doc = _document("领导坐班办事体验手册")
    doc.add_paragraph(
        f"（{questionnaire.title} 第 {questionnaire.version} 版）"
    ).alignment = WD_ALIGN_PARAGRAPH.CENTER
    for heading, body in (
        ("一、活动目的", [PURPOSE]),
        ("二、工作要求", REQUIREMENTS),
        ("三、体验办法", METHODS),
        ("四、处理流程", PROCESS),
    ):
        doc.add_heading(heading, level=1)
        for n, line in enumerate(body, start=1):
            doc.add_paragraph(line if len(body) == 1 else f"{n}. {line}")
    doc.add_heading(f"五、“{questionnaire.questions.count()}个问”", level=1)
    for stage, questions in _stages(questionnaire):
        doc.add_heading(stage, level=2)
        for question in questions:
            doc.add_paragraph(f"{question.number}. {question.text}")
    return _save(doc)


def record_form(questionnaire: Questionnaire) -> bytes:
    """The blank 活动记录表: header fields, one row per question, the problems found."""
    doc = _document("领导坐班办事体验活动记录表")
    header = doc.add_table(rows=2, cols=4)
    header.style = "Table Grid"
    for cell, label in zip(
        header.rows[0].cells + header.rows[1].cells,
        ["部门", "", "姓名", "", "坐班窗口", "", "日期/时段", ""],
        strict=True,
    ):
        cell.text = label
    doc.add_paragraph()
    table = doc.add_table(rows=1, cols=4)
    table.style = "Table Grid"
    for cell, label in zip(table.rows[0].cells, ["序号", "环节", "问题", "体验情况"], strict=True):
        cell.text = label
    for question in questionnaire.questions.all():
        row = table.add_row().cells
        row[0].text, row[1].text, row[2].text = str(question.number), question.stage, question.text
    doc.add_heading("发现的问题", level=2)
    problems = doc.add_table(rows=1, cols=4)
    problems.style = "Table Grid"
    for cell, label in zip(
        problems.rows[0].cells,
        ["问题", "类型（痛点/堵点/难点）", "是否当场解决", "备注"],
        strict=True,
    ):
        cell.text = label
    for _ in range(5):
        problems.add_row()
    doc.add_paragraph("体验小结：")
    return _save(doc)
