from django.urls import path

from safeguarding.health_records import views

app_name = "health_records"
urlpatterns = [
    path("health-records/", views.index, name="index"),
    path("health-records/runs/new/", views.run_new, name="run_new"),
    path("health-records/runs/<int:pk>/", views.run_detail, name="run_detail"),
    path(
        "health-records/runs/<int:pk>/imports/<str:kind>/",
        views.import_report,
        name="import_report",
    ),
    path("health-records/runs/<int:pk>/files/<str:name>/", views.run_output, name="run_output"),
    path("health-records/breakdowns/", views.breakdowns, name="breakdowns"),
    path("health-records/review/", views.review_list, name="review_list"),
    path("health-records/review/<int:pk>/", views.review_pair, name="review_pair"),
    path("health-records/worklist/", views.worklist, name="worklist"),
    path("health-records/worklist/<int:pk>/", views.worklist_item, name="worklist_item"),
]
