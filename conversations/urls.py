from django.urls import path

from conversations import views

app_name = "conversations"

urlpatterns = [
    path("applications/<int:pk>/messages/", views.thread, name="thread"),
    path("messages/<int:pk>/attachment/", views.attachment, name="attachment"),
    path("manage/messages/", views.waiting, name="waiting"),
]
