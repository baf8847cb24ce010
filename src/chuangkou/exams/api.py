from ninja import Router

router = Router(tags=["题库与考试"])
