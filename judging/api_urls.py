from django.urls import path

from judging import api

app_name = "judging_api"

urlpatterns = [
    path("criteria/", api.CriterionListApi.as_view(), name="criterion_list"),
    path("criteria/<int:criterion_id>/update/", api.CriterionUpdateApi.as_view(), name="criterion_update"),
    path("window/", api.WindowApi.as_view(), name="window"),
    path("window/open/", api.WindowOpenApi.as_view(), name="window_open"),
    path("window/close/", api.WindowCloseApi.as_view(), name="window_close"),
    path("settings/update/", api.SettingsUpdateApi.as_view(), name="settings_update"),
    path("conflicts/", api.ConflictListApi.as_view(), name="conflict_list"),
    path("conflicts/declare/", api.ConflictDeclareApi.as_view(), name="conflict_declare"),
    path("conflicts/record/", api.ConflictRecordApi.as_view(), name="conflict_record"),
    path("conflicts/<int:conflict_id>/clear/", api.ConflictClearApi.as_view(), name="conflict_clear"),
    path("assignments/", api.AssignmentListApi.as_view(), name="assignment_list"),
    path("assignments/rebuild/", api.AssignmentRebuildApi.as_view(), name="assignment_rebuild"),
    path("scores/", api.ScoreListApi.as_view(), name="score_list"),
    path("scores/<int:score_id>/", api.ScoreDetailApi.as_view(), name="score_detail"),
    path("scores/save/", api.ScoreSaveApi.as_view(), name="score_save"),
    path("scores/submit/", api.ScoresSubmitApi.as_view(), name="scores_submit"),
    path("scores/withdraw/", api.ScoresWithdrawApi.as_view(), name="scores_withdraw"),
    path("ranking/", api.RankingApi.as_view(), name="ranking"),
    path("awards/confirm/", api.AwardsConfirmApi.as_view(), name="awards_confirm"),
    path("awards/<int:award_id>/override/", api.AwardOverrideApi.as_view(), name="award_override"),
    path("results/publish/", api.ResultsPublishApi.as_view(), name="results_publish"),
    path("results/", api.ResultsApi.as_view(), name="results"),
]
