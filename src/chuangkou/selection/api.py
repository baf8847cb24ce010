from ninja import Router

router = Router(tags=["竞聘上岗"])
