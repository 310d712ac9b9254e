from django.urls import path

from safeguarding.learning import (
    views_booking,
    views_catalogue,
    views_evaluation,
    views_events,
    views_records,
    views_register,
    views_reports,
)

app_name = "learning"
urlpatterns = [
    # Public: the programme, courses, sessions, calendar feed, certificate verification
    path("training/", views_catalogue.programme, name="programme"),
    path("training/calendar.ics", views_catalogue.calendar_feed, name="calendar-feed"),
    path("training/courses/<int:pk>/", views_catalogue.course_detail, name="course-detail"),
    path("training/sessions/<int:pk>/", views_catalogue.session_detail, name="session-detail"),
    path(
        "certificates/verify/<str:code>/",
        views_records.certificate_verify,
        name="certificate-verify",
    ),
    # Business unit: catalogue and sessions
    path("training/manage/courses/", views_catalogue.course_admin_list, name="course-admin-list"),
    path("training/manage/courses/new/", views_catalogue.course_create, name="course-create"),
    path("training/manage/courses/<int:pk>/edit/", views_catalogue.course_edit, name="course-edit"),
    path("training/manage/sessions/new/", views_catalogue.session_create, name="session-create"),
    path(
        "training/manage/sessions/<int:pk>/cancel/",
        views_catalogue.session_cancel,
        name="session-cancel",
    ),
    path("training/manage/pool/", views_catalogue.training_pool, name="training-pool"),
    # Booking
    path("training/sessions/<int:pk>/book/", views_booking.book, name="book"),
    path(
        "training/sessions/<int:pk>/wait/",
        views_booking.waiting_list_join,
        name="waiting-list-join",
    ),
    path("training/bookings/<int:pk>/cancel/", views_booking.booking_cancel, name="booking-cancel"),
    path(
        "training/waiting/<int:pk>/leave/",
        views_booking.waiting_list_leave,
        name="waiting-list-leave",
    ),
    path(
        "training/waiting/<int:pk>/claim/",
        views_booking.waiting_list_claim,
        name="waiting-list-claim",
    ),
    path("training/my/", views_booking.my_training, name="my-training"),
    path("training/approvals/", views_booking.approvals, name="approvals"),
    path("training/approvals/<int:pk>/", views_booking.approval_decide, name="approval-decide"),
    path("training/team/", views_booking.team_training, name="team-training"),
    # Registers (trainers and the business unit)
    path("training/sessions/<int:pk>/register/", views_register.register, name="register"),
    path(
        "training/sessions/<int:pk>/register/print/",
        views_register.register_print,
        name="register-print",
    ),
    # Training records and certificates
    path("training/record/", views_records.training_record, name="training-record"),
    path(
        "training/certificates/<int:pk>.pdf", views_records.certificate_pdf, name="certificate-pdf"
    ),
    # Evaluations
    path("training/evaluations/<int:pk>/<str:stage>/", views_evaluation.evaluate, name="evaluate"),
    path("training/manage/evaluations/", views_evaluation.results, name="evaluation-results"),
    # Local practice groups and the annual conference
    path("practice-groups/", views_events.practice_groups, name="practice-groups"),
    path("practice-groups/meetings/<int:pk>/", views_events.meeting_detail, name="meeting-detail"),
    path("practice-groups/meetings/new/", views_events.meeting_create, name="meeting-create"),
    path("conference/", views_events.conference_list, name="conference-list"),
    path("conference/<int:pk>/", views_events.conference_detail, name="conference-detail"),
    # Charges and statistics
    path("training/manage/charges/", views_reports.charges, name="charges"),
    path("training/manage/statistics/", views_reports.statistics, name="statistics"),
]
