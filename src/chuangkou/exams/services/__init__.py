"""Writes of the exams app, one module per topic: bank (题库), papers (试卷), exams (考试),
sitting (作答), grading (阅卷), regrade (重新评分), contest (技能大比武)."""
