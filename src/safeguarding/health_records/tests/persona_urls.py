"""Who may open each health-records URL, for the shared persona test (core/tests/test_personas).

None of the shared personas is a health records analyst, so none sees a named child: the
business unit (admin) sees the aggregate pages only, everyone else is refused. The analysts,
the team a child is allocated to, another agency's analyst and the board are covered in
health_records/tests/test_personas.py."""

from safeguarding.core.tests.personas import Route, expect

_aggregates = expect(practitioner_a=403, practitioner_b=403, line_manager_a=403, auditor=403)
_analysts_page = expect(
    admin=403, practitioner_a=403, practitioner_b=403, line_manager_a=403, auditor=403
)
_named_object = expect(
    admin=404, practitioner_a=404, practitioner_b=404, line_manager_a=404, auditor=404
)


def hr_objects(world) -> dict:
    """A completed run of agency B's with a review pair and a worklist item (made on first use)."""
    if "hr_run" not in world:
        import datetime

        from safeguarding.health_records.models import LinkageRun, ReviewPair, WorklistItem

        agency = world["agency_b"]
        run = LinkageRun.objects.create(
            partnership=agency.partnership,
            agency=agency,
            extract_date=datetime.date(2014, 3, 31),
            status=LinkageRun.Status.COMPLETED,
        )
        run.imports.create(kind="gp", filename="gp.csv")
        world["hr_run"] = run
        world["hr_pair"] = ReviewPair.objects.create(
            run=run, gp_record_id="G1", hv_record_id="H1", match_probability=0.8
        )
        world["hr_item"] = WorklistItem.objects.create(
            agency=agency,
            first_run=run,
            last_run=run,
            direction="gp_not_known_to_hv",
            record_id="G2",
            given_name="Testy",
            family_name="McTest",
        )
    return world


ROUTES = {
    "health_records:index": Route(_aggregates),
    "health_records:breakdowns": Route(_aggregates),
    "health_records:run_new": Route(_analysts_page),
    "health_records:review_list": Route(_analysts_page),
    "health_records:worklist": Route(_analysts_page),
    "health_records:run_detail": Route(_named_object, args=lambda w: [hr_objects(w)["hr_run"].pk]),
    "health_records:import_report": Route(
        _named_object, args=lambda w: [hr_objects(w)["hr_run"].pk, "gp"]
    ),
    "health_records:run_output": Route(
        _named_object, args=lambda w: [hr_objects(w)["hr_run"].pk, "matches"]
    ),
    "health_records:review_pair": Route(
        _named_object, args=lambda w: [hr_objects(w)["hr_pair"].pk]
    ),
    "health_records:worklist_item": Route(
        _named_object, args=lambda w: [hr_objects(w)["hr_item"].pk]
    ),
}
