from django.conf import settings

from safeguarding.people.permissions import VIEW_AUDIT, can, is_business_unit


def service(request):
    user = getattr(request, "user", None)
    return {
        "partnership_name": settings.PARTNERSHIP_NAME,
        "nav_is_business_unit": is_business_unit(user) if user else False,
        "nav_can_view_audit": can(user, VIEW_AUDIT) if user else False,
    }
