from django.urls import path

from privacy import views

app_name = "privacy"

urlpatterns = [
    path("", views.notice, name="notice"),
    path("your-data/", views.your_data, name="your_data"),
    path("your-data/download", views.your_data_download, name="your_data_download"),
    path("close-account/", views.close_account, name="close_account"),
    path("erasure/", views.erasure_find, name="erasure_find"),
    path("erasure/people/<str:token>/", views.erasure_confirm, name="erasure_confirm"),
]
