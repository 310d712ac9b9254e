"""Which locality and team a child on the worklist is allocated to when a run adds them."""

from __future__ import annotations

from safeguarding.health_records.models import LinkageRun, PostcodeDistrict
from safeguarding.people.models import Team


def _outward(postcode: str | None) -> str:
    return (postcode or "").strip().upper().split(" ")[0] if postcode else ""


class Allocator:
    """Locality from the postcode district; the team: for a health visiting record the team it
    names (if the agency has one by that name), otherwise the agency's health visiting team in
    the child's locality."""

    def __init__(self, run: LinkageRun):
        self.districts = dict(
            PostcodeDistrict.objects.filter(partnership=run.partnership).values_list(
                "outward_code", "locality_id"
            )
        )
        teams = list(Team.objects.filter(agency=run.agency).order_by("name"))
        self.by_name = {team.name.casefold(): team for team in teams}
        self.by_locality: dict[int, Team] = {}
        for team in sorted(teams, key=lambda t: "health visiting" not in t.name.casefold()):
            if team.locality_id is not None:
                self.by_locality.setdefault(team.locality_id, team)

    def allocate(self, snapshot: dict) -> tuple[int | None, Team | None]:
        named = self.by_name.get(snapshot["hv_team"].casefold()) if snapshot["hv_team"] else None
        locality_id = self.districts.get(_outward(snapshot["postcode"]))
        if named is not None:
            return locality_id or named.locality_id, named
        if locality_id is None:
            return None, None
        return locality_id, self.by_locality.get(locality_id)
