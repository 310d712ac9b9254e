"""The risk tool's link in the service navigation (see core.navigation), and its own links
(identifications, the board's figures, calibration), shown on each of its landing pages to those
who may use them, so that nobody has to know an address."""

from __future__ import annotations

from django.urls import reverse

from safeguarding.core import navigation
from safeguarding.core.navigation import Link
from safeguarding.people.permissions import can
from safeguarding.risk.calibration import access as calibration_access
from safeguarding.risk.capabilities import USE_RISK_TOOL, VIEW_RISK_INSIGHT


@navigation.links
def links(request) -> list[Link]:
    """The risk tool for those who use it; its board figures for those who only read them."""
    user = request.user
    if can(user, USE_RISK_TOOL):
        url = reverse("risk:home")
    elif can(user, VIEW_RISK_INSIGHT):
        url = reverse("risk:insight")
    else:
        return []
    return [Link("Risk tool", url, order=50, prefix=reverse("risk:home"))]


def tool_links(user, current: str) -> list[dict]:
    """[{"label", "url", "current"}] for the pages of the risk tool this user may open."""
    from safeguarding.risk.calibration.selectors import exercises_for_participant

    links = []
    if can(user, USE_RISK_TOOL):
        links.append(("home", "Risk identifications", reverse("risk:home")))
    if can(user, VIEW_RISK_INSIGHT):
        links.append(("insight", "Figures for the board", reverse("risk:insight")))
    if calibration_access.may_manage(user):
        links.append(
            (
                "calibration",
                "Calibration: vignettes and exercises",
                reverse("risk:calibration-home"),
            )
        )
    elif exercises_for_participant(user).exists():
        links.append(
            (
                "calibration",
                "Calibration exercises you take part in",
                reverse("risk:calibration-home"),
            )
        )
    if calibration_access.may_see_results(user):
        links.append(
            ("calibration-results", "Calibration results", reverse("risk:calibration-results"))
        )
    return [{"label": label, "url": url, "current": key == current} for key, label, url in links]
