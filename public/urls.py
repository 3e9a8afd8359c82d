from django.urls import path

from public import views

app_name = "public"

urlpatterns = [
    path("<slug:slug>/", views.fund_page, name="fund"),
    path("<slug:slug>/funded/", views.funded, name="funded"),
    path("<slug:slug>/stories/<int:pk>/", views.story, name="story"),
    path("<slug:slug>/stories/<int:pk>/photo/", views.story_photo, name="story_photo"),
    path("<slug:slug>/open-data/", views.open_data, name="open_data"),
]
