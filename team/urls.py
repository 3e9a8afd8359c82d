from django.urls import path

from team import views

app_name = "team"

urlpatterns = [
    path("manage/funds/<slug:slug>/team/", views.team, name="team"),
    path("manage/funds/<slug:slug>/team/invite/", views.invite, name="invite"),
    path("manage/funds/<slug:slug>/team/left-in-hand/", views.left, name="left"),
    path("manage/funds/<slug:slug>/team/people/<int:pk>/", views.person, name="person"),
    path("manage/funds/<slug:slug>/team/invitations/<int:pk>/withdraw/", views.withdraw, name="withdraw"),
    path("team/invitations/<str:token>/", views.accept, name="accept"),
]
