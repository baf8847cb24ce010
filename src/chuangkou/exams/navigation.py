from chuangkou.core.navigation import NavItem
from chuangkou.core.roles import Role

ADMIN = (Role.CENTER_ADMIN,)

ITEMS = [
    NavItem("我的考试", "exams:my_exams", "pencil", (Role.CLERK, Role.LOBBY_MANAGER), order=30),
    NavItem("题库", "exams:question_list", "books", ADMIN, order=40),
    NavItem("试卷", "exams:paper_list", "file-text", ADMIN, order=41),
    NavItem("考试管理", "exams:exam_list", "clipboard-check", ADMIN, order=42),
    NavItem("阅卷", "exams:grading_queue", "checklist", (Role.GRADER,), order=43),
    NavItem(
        "知识点掌握度",
        "exams:mastery",
        "target",
        (Role.CLERK, Role.LOBBY_MANAGER, Role.DEPT_HEAD, Role.CENTER_ADMIN),
        order=44,
    ),
    NavItem("技能大比武", "exams:contest_list", "trophy", ADMIN, order=45),
]
