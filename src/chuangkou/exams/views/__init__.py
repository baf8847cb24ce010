"""Pages of the exams app, one module per audience: bank and manage (center admin),
candidate (clerks sitting exams), grading (graders; mastery), contest (incl. the public board)."""
