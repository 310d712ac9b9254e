from django.conf import settings
from django.urls import reverse

from safeguarding.people.permissions import VIEW_AUDIT, can, is_business_unit
from safeguarding.risk.capabilities import USE_RISK_TOOL, VIEW_RISK_INSIGHT


def service(request):
    user = getattr(request, "user", None)
    signed_in = bool(user and user.is_authenticated)
    # Until the second factor is given, the only way on is the two-factor page: no navigation.
    fully_signed_in = signed_in and not request.path_info.startswith("/two-factor/")
    return {
        "partnership_name": settings.PARTNERSHIP_NAME,
        "show_navigation": fully_signed_in,
        "show_demo_notice": settings.DEMO_NOTICE,
        "nav_is_business_unit": is_business_unit(user) if signed_in else False,
        "nav_can_view_audit": can(user, VIEW_AUDIT) if signed_in else False,
        "nav_risk_url": _risk_url(user) if signed_in else "",
    }


def _risk_url(user) -> str:
    """The risk tool for those who use it; its board figures for those who only read them."""
    if can(user, USE_RISK_TOOL):
        return reverse("risk:home")
    if can(user, VIEW_RISK_INSIGHT):
        return reverse("risk:insight")
    return ""
