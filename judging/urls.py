from django.urls import path

from judging import views

app_name = "judging"

urlpatterns = [
    path("", views.home, name="home"),
    # judges
    path("judge/", views.dashboard, name="dashboard"),
    path("teams/<int:team_id>/", views.score_team, name="score_team"),
    path("teams/<int:team_id>/save/", views.score_save, name="score_save"),
    path("teams/<int:team_id>/submit/", views.scores_submit, name="scores_submit"),
    path("teams/<int:team_id>/withdraw/", views.scores_withdraw, name="scores_withdraw"),
    path("teams/<int:team_id>/conflict/", views.conflict_declare, name="conflict_declare"),
    # organizers
    path("manage/", views.manage, name="manage"),
    path("manage/ranking/", views.ranking, name="ranking"),
    path("manage/criteria/", views.criteria_create_defaults, name="criteria_create_defaults"),
    path("manage/criteria/new/", views.criterion_create, name="criterion_create"),
    path("manage/criteria/<int:criterion_id>/", views.criterion_edit, name="criterion_edit"),
    path("manage/criteria/<int:criterion_id>/delete/", views.criterion_delete, name="criterion_delete"),
    path("manage/awards/categories/<int:category_id>/", views.award_category_edit, name="award_category_edit"),
    path("manage/settings/", views.settings_update, name="settings_update"),
    path("manage/open/", views.judging_open, name="open"),
    path("manage/close/", views.judging_close, name="close"),
    path("manage/conflicts/detect/", views.conflicts_detect, name="conflicts_detect"),
    path("manage/conflicts/record/", views.conflict_record, name="conflict_record"),
    path("manage/conflicts/<int:conflict_id>/clear/", views.conflict_clear, name="conflict_clear"),
    path("manage/judges/<int:judge_id>/drop/", views.judge_drop, name="judge_drop"),
    path("manage/awards/confirm/", views.awards_confirm, name="awards_confirm"),
    path("manage/awards/<int:award_id>/override/", views.award_override, name="award_override"),
    path("manage/publish/", views.results_publish, name="publish"),
    path("manage/scores.csv", views.export_csv, name="export_csv"),
    path("manage/scores.xlsx", views.export_xlsx, name="export_xlsx"),
]
