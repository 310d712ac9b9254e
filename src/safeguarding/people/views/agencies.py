"""The agency directory: listing, showing, adding and changing agencies."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_safe

from safeguarding.core.forms import apply_errors
from safeguarding.people import services
from safeguarding.people.access import (
    get_agency_for_user,
)
from safeguarding.people.forms import (
    AgencyForm,
)
from safeguarding.people.models import Sector
from safeguarding.people.permissions import (
    MANAGE_PEOPLE,
    can,
    capability_required,
)
from safeguarding.people.selectors import agency_list as select_agencies
from safeguarding.people.selectors import partnership_for
from safeguarding.people.selectors import person_list as select_people


@require_safe
def agency_list(request):
    query = request.GET.get("q", "").strip()[:100]
    sector = request.GET.get("sector", "")
    sector = sector if sector in Sector.values else ""
    page = Paginator(select_agencies(user=request.user, query=query, sector=sector), 50)
    return render(
        request,
        "people/agency_list.html",
        {
            "page": page.get_page(request.GET.get("page")),
            "query": query,
            "sector": sector,
            "sectors": Sector.choices,
            "can_manage": can(request.user, MANAGE_PEOPLE),
        },
    )


@require_safe
def agency_detail(request, pk):
    agency = get_agency_for_user(request.user, pk)
    people = select_people(user=request.user, agency_id=agency.pk)
    return render(
        request,
        "people/agency_detail.html",
        {
            "agency": agency,
            "teams": agency.teams.select_related("locality"),
            "people_page": Paginator(people, 50).get_page(request.GET.get("page")),
            "can_manage": can(request.user, MANAGE_PEOPLE),
        },
    )


def _agency_values(form) -> dict:
    return dict(form.cleaned_data)


@require_http_methods(["GET", "POST"])
@capability_required(MANAGE_PEOPLE)
def agency_create(request):
    form = AgencyForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            agency = services.agency_create(
                partnership=partnership_for(request.user),
                actor=request.user,
                **_agency_values(form),
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, f"{agency.name} has been added.")
            return redirect("people:agency-detail", pk=agency.pk)
    return render(request, "people/agency_form.html", {"form": form, "agency": None})


@require_http_methods(["GET", "POST"])
@capability_required(MANAGE_PEOPLE)
def agency_edit(request, pk):
    agency = get_agency_for_user(request.user, pk)
    initial = {
        "name": agency.name,
        "sector": agency.sector,
        "locality": agency.locality,
        "email_domains": ", ".join(agency.email_domains),
        "is_statutory_partner": agency.is_statutory_partner,
        "funds_partnership": agency.funds_partnership,
    }
    form = AgencyForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.agency_update(agency=agency, actor=request.user, **_agency_values(form))
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, f"{agency.name} has been updated.")
            return redirect("people:agency-detail", pk=agency.pk)
    return render(request, "people/agency_form.html", {"form": form, "agency": agency})


# People -------------------------------------------------------------------------------------
