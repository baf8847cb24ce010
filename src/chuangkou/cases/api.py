from ninja import Router

router = Router(tags=["受理办件"])
