from django.urls import path

from audit import views

app_name = "audit"

urlpatterns = [
    path("", views.log, name="log"),
    path("downloads/<int:pk>/", views.download, name="download"),
    path("<str:kind>/<int:pk>/", views.history, name="history"),
]
