from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("", include("safeguarding.core.urls")),
    path("", include("safeguarding.people.urls")),
    path("", include("safeguarding.learning.urls")),
    path("", include("safeguarding.risk.urls")),
    path("", include("safeguarding.health_records.urls")),
    path("api/v1/", include("safeguarding.core.api.urls")),
    path("admin/", admin.site.urls),
]

handler403 = "safeguarding.core.views.permission_denied"
handler404 = "safeguarding.core.views.page_not_found"
handler500 = "safeguarding.core.views.server_error"
