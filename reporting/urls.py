from django.urls import path

from reporting import views

app_name = "reporting"

urlpatterns = [
    path("", views.finance_home, name="finance_home"),
    path("funds/<slug:slug>/social-value/", views.sroi, name="sroi"),
    path("funds/<slug:slug>/social-value.csv", views.sroi_csv, name="sroi_csv"),
    path("funds/<slug:slug>/360giving/", views.open_data, name="open_data"),
    path("funds/<slug:slug>/board-packs/", views.board_pack_request, name="board_pack_request"),
    path("funds/<slug:slug>/board-packs/<int:pk>/", views.board_pack, name="board_pack"),
    path("funds/<slug:slug>/board-packs/<int:pk>/status", views.board_pack_status, name="board_pack_status"),
    path("funds/<slug:slug>/board-packs/<int:pk>/pdf", views.board_pack_download, name="board_pack_download"),
    path("funds/<slug:slug>/proxies/", views.proxies, name="proxies"),
    path("funds/<slug:slug>/proxies/add/", views.proxy_add, name="proxy_add"),
    path("funds/<slug:slug>/proxies/<int:pk>/", views.proxy_edit, name="proxy_edit"),
    path("investments/<int:pk>/outcomes/", views.outcomes, name="outcomes"),
    path("investments/<int:pk>/outcomes/add/", views.outcome_add, name="outcome_add"),
    path("investments/<int:pk>/outcomes/<int:record_pk>/", views.outcome_edit, name="outcome_edit"),
    path(
        "investments/<int:pk>/outcomes/<int:record_pk>/delete/", views.outcome_delete, name="outcome_delete"
    ),
]
