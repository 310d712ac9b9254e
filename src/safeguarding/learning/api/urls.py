"""The training programme's API routes, included under /api/v1/learning/ by api/urls.py."""

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

# Like the rest of the API: each request authenticates itself (token, or a verified session) and
# is answered 401/403, never redirected to the sign-in page.
for pattern in urlpatterns:
    pattern.callback.login_required = False
