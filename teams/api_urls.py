from django.urls import path

from teams import api

app_name = "teams_api"

urlpatterns = [
    path("", api.TeamListApi.as_view(), name="team_list"),
    path("create/", api.TeamCreateApi.as_view(), name="team_create"),
    path("members/", api.TeamMembershipListApi.as_view(), name="membership_list"),
    path("members/move/", api.TeamMemberMoveApi.as_view(), name="member_move"),
    path("round/", api.RoundDetailApi.as_view(), name="round_detail"),
    path("round/rules/", api.RoundRulesUpdateApi.as_view(), name="round_rules"),
    path("round/extend/", api.RoundExtendApi.as_view(), name="round_extend"),
    path("round/match/", api.RoundMatchApi.as_view(), name="round_match"),
    path("join-requests/", api.JoinRequestListApi.as_view(), name="join_request_list"),
    path("join-requests/<int:request_id>/accept/", api.JoinRequestAcceptApi.as_view(), name="join_request_accept"),
    path("join-requests/<int:request_id>/decline/", api.JoinRequestDeclineApi.as_view(), name="join_request_decline"),
    path(
        "join-requests/<int:request_id>/withdraw/", api.JoinRequestWithdrawApi.as_view(), name="join_request_withdraw"
    ),
    path("invitations/", api.InvitationListApi.as_view(), name="invitation_list"),
    path("invitations/<int:invitation_id>/accept/", api.InvitationAcceptApi.as_view(), name="invitation_accept"),
    path("invitations/<int:invitation_id>/decline/", api.InvitationDeclineApi.as_view(), name="invitation_decline"),
    path("invitations/<int:invitation_id>/cancel/", api.InvitationCancelApi.as_view(), name="invitation_cancel"),
    path("<int:team_id>/", api.TeamDetailApi.as_view(), name="team_detail"),
    path("<int:team_id>/pitch/", api.TeamPitchUpdateApi.as_view(), name="team_pitch_update"),
    path("<int:team_id>/leave/", api.TeamMemberLeaveApi.as_view(), name="team_leave"),
    path("<int:team_id>/leader/", api.TeamLeaderTransferApi.as_view(), name="team_leader_transfer"),
    path("<int:team_id>/disband/", api.TeamDisbandApi.as_view(), name="team_disband"),
    path("<int:team_id>/join-requests/", api.JoinRequestCreateApi.as_view(), name="join_request_create"),
    path("<int:team_id>/invitations/", api.InvitationCreateApi.as_view(), name="invitation_create"),
]
