from django.urls import path

from . import views

app_name = "prereview"
urlpatterns = [
    # public, no login: the applicant's link is the proof
    path("", views.choose, name="choose"),
    path("start/<id:matter_id>/", views.start, name="start"),
    path("p/<uuid:token>/", views.mine, name="mine"),
    path("p/<uuid:token>/items/<id:item_id>/upload/", views.upload, name="upload"),
    path("p/<uuid:token>/items/<id:item_id>/file/", views.public_file, name="public_file"),
    path("p/<uuid:token>/submit/", views.submit, name="submit"),
    path("p/<uuid:token>/ticket/", views.take_ticket, name="ticket"),
    path("p/<uuid:token>/book/", views.book, name="book"),
    # reviewers
    path("desk/", views.desk, name="desk"),
    path("desk/<id:pk>/", views.detail, name="detail"),
    path("desk/<id:pk>/items/<id:item_id>/review/", views.review, name="review"),
    path("desk/<id:pk>/items/<id:item_id>/file/", views.staff_file, name="staff_file"),
    path("desk/<id:pk>/accept/", views.accept, name="accept"),
    path("figures/", views.figures, name="figures"),
]
