from ninja import Router

router = Router(tags=["办事指南"])
