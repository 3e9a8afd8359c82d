from django.urls import path

from audit import views

app_name = "audit"

urlpatterns = [
    path("", views.log, name="log"),
    path("<str:kind>/<int:pk>/", views.history, name="history"),
]
