"""People's API routes, mounted at the root of /api/v1/ by core.api.urls."""

from django.urls import path
from rest_framework.routers import SimpleRouter

from safeguarding.people.api import views

# At the root of /api/v1/ rather than under people/: these paths predate the per-app prefixes.
prefix = ""

router = SimpleRouter()
router.register("agencies", views.AgencyViewSet, basename="api-agency")
router.register("people", views.PersonViewSet, basename="api-person")

urlpatterns = [
    path("me/", views.MeView.as_view(), name="api-me"),
    *router.urls,
]
