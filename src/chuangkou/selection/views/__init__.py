"""The pages of 竞聘上岗, by audience: the center admin, the judges, and the public 公示."""
