from django.urls import path

from safeguarding.risk.calibration.views import exercises as calibration_exercises
from safeguarding.risk.calibration.views import home as calibration_home
from safeguarding.risk.calibration.views import rating as calibration_rating
from safeguarding.risk.calibration.views import results as calibration_results
from safeguarding.risk.calibration.views import vignettes as calibration_vignettes
from safeguarding.risk.views import home, households, insight, questions, record

app_name = "risk"
urlpatterns = [
    # Journey: households and identifications (the practitioner's tool) ------------------------
    path("risk/", home.home, name="home"),
    path("risk/households/new/", households.household_create, name="household-create"),
    path("risk/households/<int:pk>/", households.household_detail, name="household-detail"),
    path("risk/households/<int:pk>/people/new/", households.member_add, name="member-add"),
    path("risk/households/<int:pk>/start/", questions.identification_start, name="start"),
    path(
        "risk/identifications/<int:pk>/",
        record.identification_detail,
        name="identification-detail",
    ),
    path(
        "risk/identifications/<int:pk>/questions/<slug:section>/", questions.section, name="section"
    ),
    path("risk/identifications/<int:pk>/check/", questions.check, name="check"),
    path("risk/identifications/<int:pk>/level/", questions.result, name="result"),
    path("risk/identifications/<int:pk>/countersign/", record.countersign, name="countersign"),
    path("risk/identifications/<int:pk>/outcome/", record.outcome_record, name="outcome"),
    path("risk/identifications/<int:pk>/share/", record.share, name="share"),
    path("risk/identifications/<int:pk>/review/", record.review_set, name="review-set"),
    path("risk/reviews/<int:pk>/done/", record.review_done, name="review-done"),
    path(
        "risk/identifications/<int:pk>/referral-summary.docx",
        record.summary,
        {"kind": "docx"},
        name="summary-docx",
    ),
    path(
        "risk/identifications/<int:pk>/referral-summary.pdf",
        record.summary,
        {"kind": "pdf"},
        name="summary-pdf",
    ),
    # Insight: the board's aggregates -----------------------------------------------------------
    path("risk/insight/", insight.insight, name="insight"),
    # Calibration ------------------------------------------------------------------------------
    path("risk/calibration/", calibration_home.home, name="calibration-home"),
    path("risk/calibration/results/", calibration_results.results, name="calibration-results"),
    path(
        "risk/calibration/vignettes/",
        calibration_vignettes.vignette_list,
        name="calibration-vignettes",
    ),
    path(
        "risk/calibration/vignettes/new/",
        calibration_vignettes.vignette_create,
        name="calibration-vignette-create",
    ),
    path(
        "risk/calibration/vignettes/<int:pk>/",
        calibration_vignettes.vignette_detail,
        name="calibration-vignette",
    ),
    path(
        "risk/calibration/vignettes/<int:pk>/edit/",
        calibration_vignettes.vignette_edit,
        name="calibration-vignette-edit",
    ),
    path(
        "risk/calibration/vignettes/<int:pk>/expert/",
        calibration_vignettes.vignette_expert,
        name="calibration-vignette-expert",
    ),
    path(
        "risk/calibration/vignettes/<int:pk>/publish/",
        calibration_vignettes.vignette_publish,
        name="calibration-vignette-publish",
    ),
    path(
        "risk/calibration/exercises/new/",
        calibration_exercises.exercise_create,
        name="calibration-exercise-create",
    ),
    path(
        "risk/calibration/exercises/<int:pk>/",
        calibration_exercises.exercise_detail,
        name="calibration-exercise",
    ),
    path(
        "risk/calibration/exercises/<int:pk>/edit/",
        calibration_exercises.exercise_edit,
        name="calibration-exercise-edit",
    ),
    path(
        "risk/calibration/exercises/<int:pk>/participants/",
        calibration_exercises.participants,
        name="calibration-participants",
    ),
    path(
        "risk/calibration/exercises/<int:pk>/open/",
        calibration_exercises.exercise_open,
        name="calibration-exercise-open",
    ),
    path(
        "risk/calibration/exercises/<int:pk>/close/",
        calibration_exercises.exercise_close,
        name="calibration-exercise-close",
    ),
    path(
        "risk/calibration/exercises/<int:pk>/vignettes/<int:vignette_pk>/",
        calibration_rating.rate,
        name="calibration-rate",
    ),
    path(
        "risk/calibration/exercises/<int:pk>/vignettes/<int:vignette_pk>/level/",
        calibration_rating.rate_level,
        name="calibration-rate-level",
    ),
    path(
        "risk/calibration/exercises/<int:pk>/results/",
        calibration_results.exercise_results,
        name="calibration-exercise-results",
    ),
    path(
        "risk/calibration/exercises/<int:pk>/results.<str:fmt>",
        calibration_results.exercise_export,
        name="calibration-exercise-export",
    ),
    path(
        "risk/calibration/ratings/<int:pk>/",
        calibration_rating.rating_detail,
        name="calibration-rating",
    ),
]
