"""The training programme's API routes, mounted under /api/v1/learning/ by core/api/urls.py."""

from django.urls import path
from rest_framework.routers import SimpleRouter

from safeguarding.learning.api import views as api

router = SimpleRouter()
router.register("courses", api.CourseViewSet, basename="api-learning-course")
router.register("sessions", api.SessionViewSet, basename="api-learning-session")
router.register("bookings", api.BookingViewSet, basename="api-learning-booking")
router.register("waiting-list", api.WaitingListViewSet, basename="api-learning-waiting-list")

urlpatterns = [
    path("statistics/", api.StatisticsView.as_view(), name="api-learning-statistics"),
    *router.urls,
]
