from django.urls import path

from accounts import views

app_name = "accounts"

urlpatterns = [
    path("profile/", views.profile, name="profile"),
    path("profile/avatar/", views.own_avatar, name="own_avatar"),
    path("profile/token/", views.api_token_rotate, name="api_token_rotate"),
]
