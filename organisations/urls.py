from django.urls import path

from organisations import views

app_name = "organisations"

urlpatterns = [
    path("groups/new/", views.organisation_create, name="organisation_create"),
    path("groups/<int:pk>/edit/", views.organisation_edit, name="organisation_edit"),
    path("groups/<int:pk>/invite/", views.invite, name="invite"),
    path("groups/<int:pk>/bank-details/", views.bank_details, name="bank_details"),
    path("invitations/<str:token>/", views.invitation_accept, name="invitation_accept"),
]
