from django.urls import path

from safeguarding.learning.views import (
    booking,
    catalogue,
    evaluation,
    events,
    records,
    register,
    reports,
)

app_name = "learning"
urlpatterns = [
    # Public: the programme, courses, sessions, calendar feed, certificate verification
    path("training/", catalogue.programme, name="programme"),
    path("training/calendar.ics", catalogue.calendar_feed, name="calendar-feed"),
    path("training/courses/<int:pk>/", catalogue.course_detail, name="course-detail"),
    path("training/sessions/<int:pk>/", catalogue.session_detail, name="session-detail"),
    path(
        "certificates/verify/<str:code>/",
        records.certificate_verify,
        name="certificate-verify",
    ),
    # Business unit: catalogue and sessions
    path("training/manage/courses/", catalogue.course_admin_list, name="course-admin-list"),
    path("training/manage/courses/new/", catalogue.course_create, name="course-create"),
    path("training/manage/courses/<int:pk>/edit/", catalogue.course_edit, name="course-edit"),
    path("training/manage/sessions/new/", catalogue.session_create, name="session-create"),
    path(
        "training/manage/sessions/<int:pk>/edit/",
        catalogue.session_update,
        name="session-update",
    ),
    path(
        "training/manage/sessions/<int:pk>/cancel/",
        catalogue.session_cancel,
        name="session-cancel",
    ),
    path("training/manage/pool/", catalogue.training_pool, name="training-pool"),
    # Booking
    path("training/sessions/<int:pk>/book/", booking.book, name="book"),
    path(
        "training/sessions/<int:pk>/wait/",
        booking.waiting_list_join,
        name="waiting-list-join",
    ),
    path("training/bookings/<int:pk>/cancel/", booking.booking_cancel, name="booking-cancel"),
    path(
        "training/waiting/<int:pk>/leave/",
        booking.waiting_list_leave,
        name="waiting-list-leave",
    ),
    path(
        "training/waiting/<int:pk>/claim/",
        booking.waiting_list_claim,
        name="waiting-list-claim",
    ),
    path("training/my/", booking.my_training, name="my-training"),
    path("training/approvals/", booking.approvals, name="approvals"),
    path("training/approvals/<int:pk>/", booking.approval_decide, name="approval-decide"),
    path("training/team/", booking.team_training, name="team-training"),
    # Registers (trainers and the business unit)
    path("training/sessions/<int:pk>/register/", register.register, name="register"),
    path(
        "training/sessions/<int:pk>/register/print/",
        register.register_print,
        name="register-print",
    ),
    # Training records and certificates
    path("training/record/", records.training_record, name="training-record"),
    path("training/certificates/<int:pk>.pdf", records.certificate_pdf, name="certificate-pdf"),
    # Evaluations
    path("training/evaluations/<int:pk>/<str:stage>/", evaluation.evaluate, name="evaluate"),
    path("training/manage/evaluations/", evaluation.results, name="evaluation-results"),
    # Local practice groups and the annual conference
    path("practice-groups/", events.practice_groups, name="practice-groups"),
    path("practice-groups/meetings/<int:pk>/", events.meeting_detail, name="meeting-detail"),
    path("practice-groups/meetings/new/", events.meeting_create, name="meeting-create"),
    path("conference/", events.conference_list, name="conference-list"),
    path("conference/<int:pk>/", events.conference_detail, name="conference-detail"),
    # Charges and statistics
    path("training/manage/charges/", reports.charges, name="charges"),
    path("training/manage/statistics/", reports.statistics, name="statistics"),
]
