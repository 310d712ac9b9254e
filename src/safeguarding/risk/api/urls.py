"""The risk tool's API routes, included under /api/v1/risk/ by core's router (core/api/urls.py)."""

from django.urls import path
from rest_framework.routers import SimpleRouter

from safeguarding.risk.api import views as api

router = SimpleRouter()
router.register("identifications", api.IdentificationViewSet, basename="api-risk-identification")

urlpatterns = [
    path("instruments/", api.InstrumentsView.as_view(), name="api-risk-instruments"),
    path("evaluate/", api.EvaluateView.as_view(), name="api-risk-evaluate"),
    *router.urls,
]
