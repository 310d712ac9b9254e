from django.urls import path

from safeguarding.health_records.views import breakdowns, review, runs, worklist

app_name = "health_records"
urlpatterns = [
    path("health-records/", runs.index, name="index"),
    path("health-records/runs/new/", runs.run_new, name="run_new"),
    path("health-records/runs/<int:pk>/", runs.run_detail, name="run_detail"),
    path(
        "health-records/runs/<int:pk>/imports/<str:kind>/",
        runs.import_report,
        name="import_report",
    ),
    path("health-records/runs/<int:pk>/files/<str:name>/", runs.run_output, name="run_output"),
    path("health-records/breakdowns/", breakdowns.breakdowns, name="breakdowns"),
    path("health-records/review/", review.review_list, name="review_list"),
    path("health-records/review/<int:pk>/", review.review_pair, name="review_pair"),
    path("health-records/worklist/", worklist.worklist, name="worklist"),
    path("health-records/worklist/<int:pk>/", worklist.worklist_item, name="worklist_item"),
]
