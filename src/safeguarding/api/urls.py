from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView
from rest_framework.routers import SimpleRouter

from safeguarding.api import views

router = SimpleRouter()
router.register("agencies", views.AgencyViewSet, basename="api-agency")
router.register("people", views.PersonViewSet, basename="api-person")

urlpatterns = [
    path("me/", views.MeView.as_view(), name="api-me"),
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("docs/", views.DocsView.as_view(url_name="api-schema"), name="api-docs"),
    *router.urls,
]

# The API authenticates each request itself (token, or a verified session) and answers 401/403;
# it never redirects to the sign-in page.
for pattern in urlpatterns:
    pattern.callback.login_required = False

# The training programme's API; its own urls module exempts its views from the sign-in redirect.
urlpatterns.append(path("learning/", include("safeguarding.learning.api.urls")))

# The risk tool's API (instruments, the calculator, identifications scoped as on the web).
urlpatterns.append(path("risk/", include("safeguarding.risk.api_urls")))
