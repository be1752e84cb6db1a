from django.urls import path

from teams import views

app_name = "teams"

urlpatterns = [
    path("", views.board, name="board"),
    path("board/", views.board_fragment, name="board_fragment"),
    path("mine/", views.my_team, name="my_team"),
    path("new/", views.team_create, name="team_create"),
    path("round/", views.round_manage, name="round_manage"),
    path("round/rules/", views.round_rules, name="round_rules"),
    path("round/extend/", views.round_extend, name="round_extend"),
    path("round/match/", views.round_match, name="round_match"),
    path("round/move/", views.member_move, name="member_move"),
    path("requests/<int:request_id>/<str:action>/", views.join_request_answer, name="join_request_answer"),
    path("invitations/<int:invitation_id>/<str:action>/", views.invitation_answer, name="invitation_answer"),
    path("<int:team_id>/", views.team_detail, name="team_detail"),
    path("<int:team_id>/live/", views.team_live, name="team_live"),
    path("<int:team_id>/members/<int:user_id>/avatar/", views.member_avatar, name="member_avatar"),
    path("<int:team_id>/edit/", views.team_edit, name="team_edit"),
    path("<int:team_id>/join/", views.join_request_create, name="join_request_create"),
    path("<int:team_id>/invite/", views.invitation_create, name="invitation_create"),
    path("<int:team_id>/leave/", views.member_leave, name="member_leave"),
    path("<int:team_id>/lead/", views.leader_transfer, name="leader_transfer"),
    path("<int:team_id>/disband/", views.team_disband, name="team_disband"),
]
