from ninja import Router

router = Router(tags=["大厅取号"])
