from django.conf import settings

from safeguarding.core import navigation


def service(request):
    user = getattr(request, "user", None)
    signed_in = bool(user and user.is_authenticated)
    # Until the second factor is given, the only way on is the two-factor page: no navigation.
    fully_signed_in = signed_in and not request.path_info.startswith("/two-factor/")
    return {
        "partnership_name": settings.PARTNERSHIP_NAME,
        "show_navigation": fully_signed_in,
        "show_demo_notice": settings.DEMO_NOTICE,
        "nav_links": navigation.navigation_for(request) if fully_signed_in else [],
    }
