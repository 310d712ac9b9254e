"""Writing synthetic counties in one transaction, audited by one summary entry."""

from __future__ import annotations

from collections.abc import Callable

from django.db import transaction

from safeguarding.core import audit
from safeguarding.people.models import Partnership
from safeguarding.people.plan.writing import write_people, write_structure
from safeguarding.people.synthetic.counties import (
    COUNTIES,
    synthetic_partnership_name,
    synthetic_plan,
)


def generate_synthetic(
    *,
    seed: int,
    counties: int,
    agencies: int,
    practitioners: int,
    batch_size: int = 2000,
    progress=None,
    scale: str = "",
    add_history: Callable[[Partnership], dict] | None = None,
) -> list[dict]:
    """Write `counties` synthetic counties in one transaction, audited by one summary entry.

    With `add_history`, each county's partnership is passed to it once its people are written
    (core.demo passes every other app's synthetic.generate); what it returns, the counts of what
    was written, is in the county's row under "history"."""
    names = [synthetic_partnership_name(c) for c in COUNTIES[:counties]]
    clash = Partnership.objects.filter(name__in=names).values_list("name", flat=True)
    if clash:
        raise ValueError(f"Already in this database: {', '.join(clash)}. Use a fresh database.")
    summary = []
    with transaction.atomic():
        for index in range(counties):
            if progress is not None:
                progress.set_description(COUNTIES[index])
            plan = synthetic_plan(
                seed=seed, index=index, agencies=agencies, practitioners=practitioners
            )
            written = write_structure(plan, batch_size=batch_size)
            created = write_people(plan, written, batch_size=batch_size, progress=progress)
            row = {"county": COUNTIES[index], **plan.counts(), "users_created": created["users"]}
            if add_history is not None:
                row["history"] = add_history(written.partnership)
            summary.append(row)
            del plan, written
        totals = {
            key: sum(row[key] for row in summary)
            for key in ("localities", "agencies", "teams", "practitioners", "role_grants")
        }
        audit.record(
            action="people.synthetic.generated",
            object_type="people.partnership",
            object_repr=f"{counties} synthetic counties (seed {seed})",
            changes={"scale": scale, "seed": seed, "counties": summary, "totals": totals},
        )
    return summary
