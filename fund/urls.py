from django.urls import path

from fund import views

app_name = "fund"

urlpatterns = [
    path("", views.officer_home, name="officer_home"),
    path("funds/<slug:slug>/", views.fund_detail, name="fund_detail"),
    path("funds/<slug:slug>/settings/", views.fund_settings, name="fund_settings"),
    path("funds/<slug:slug>/rounds/new/", views.round_create, name="round_create"),
    path("rounds/<int:pk>/", views.round_detail, name="round_detail"),
    path("rounds/<int:pk>/edit/", views.round_edit, name="round_edit"),
    path("rounds/<int:pk>/criteria/new/", views.criterion_create, name="criterion_create"),
    path("criteria/<int:pk>/edit/", views.criterion_edit, name="criterion_edit"),
    path("criteria/<int:pk>/delete/", views.criterion_delete, name="criterion_delete"),
]
