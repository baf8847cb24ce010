ITEMS: list = []
