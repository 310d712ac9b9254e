"""Children missing from health records: extract imports, linkage runs, review pairs and the
follow-up worklist.

Data minimisation (what is kept, and for how long):
- The uploaded extracts stay on disk under settings.HEALTH_RECORDS_DIR only until the retention
  command removes them (HEALTH_RECORDS_RETENTION_DAYS, default 30). The database never holds the
  extracts' rows: an import keeps its counts and, per problem row, the record id and reasons.
- A run keeps its counts, thresholds, timings and trained model for good (aggregates). Matched
  pairs need no follow-up, so they are not copied into the database: they are in the run's
  matches.csv, which the retention command deletes with the extracts.
- Review pairs and worklist items carry a snapshot of the named fields a person needs to act;
  retention blanks those fields and keeps the ids, decision, outcome, locality, team, GP practice
  and age band, so that trends and breakdowns survive and review decisions can still be reused.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from safeguarding.people.models import Agency, Locality, Partnership, Team


class Kind(models.TextChoices):
    GP = "gp", "GP registrations"
    HV = "hv", "Health visiting caseload"


class LinkageRun(models.Model):
    """One linkage of a GP extract against a health visiting extract."""

    class Status(models.TextChoices):
        QUEUED = "queued", "Waiting to start"
        RUNNING = "running", "Running"
        COMPLETED = "completed", "Completed"
        FAILED = "failed", "Failed"

    partnership = models.ForeignKey(Partnership, on_delete=models.PROTECT, related_name="+")
    # The health agency whose analysts ran it and may see its named children.
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="linkage_runs")
    extract_date = models.DateField(help_text="The date the two extracts were taken.")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    error = models.TextField(blank=True)
    progress = models.CharField(max_length=200, blank=True)  # the step under way, for the page
    backend = models.CharField(max_length=10, default="duckdb")
    match_threshold = models.FloatField(default=0.95)
    review_threshold = models.FloatField(default=0.50)
    gp_records = models.PositiveIntegerField(default=0)
    hv_records = models.PositiveIntegerField(default=0)
    matched = models.PositiveIntegerField(default=0)
    review = models.PositiveIntegerField(default=0)
    gp_not_known_to_hv = models.PositiveIntegerField(default=0)
    hv_not_registered_with_gp = models.PositiveIntegerField(default=0)
    decisions_reused = models.PositiveIntegerField(default=0)
    counts = models.JSONField(default=dict, blank=True)
    timings = models.JSONField(default=dict, blank=True)
    trained_model = models.JSONField(default=dict, blank=True)
    # {direction: {"locality"|"team"|"gp_practice"|"age_band": {label: count}}}, kept for good.
    breakdowns = models.JSONField(default=dict, blank=True)
    task_id = models.CharField(max_length=64, blank=True)
    output_dir = models.CharField(max_length=500, blank=True)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    purged_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-extract_date", "-created_at"]
        indexes = [models.Index(fields=["agency", "status", "extract_date"])]

    def __str__(self) -> str:
        return f"Linkage run {self.pk} of {self.extract_date:%d %B %Y}"

    @property
    def is_finished(self) -> bool:
        return self.status in (self.Status.COMPLETED, self.Status.FAILED)


class ExtractImport(models.Model):
    """One uploaded extract and its import report (counts; problem rows in ImportProblem)."""

    run = models.ForeignKey(LinkageRun, on_delete=models.CASCADE, related_name="imports")
    kind = models.CharField(max_length=2, choices=Kind.choices)
    filename = models.CharField(max_length=255)
    stored_path = models.CharField(max_length=500, blank=True)  # blank once purged
    size_bytes = models.PositiveBigIntegerField(default=0)
    sha256 = models.CharField(max_length=64, blank=True)
    rows_read = models.PositiveIntegerField(default=0)
    accepted = models.PositiveIntegerField(default=0)
    flagged = models.PositiveIntegerField(default=0)
    rejected = models.PositiveIntegerField(default=0)
    refused = models.TextField(blank=True)  # why the whole file was refused, if it was
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)
    purged_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["kind"]
        constraints = [
            models.UniqueConstraint(fields=["run", "kind"], name="hr_one_import_per_kind")
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.filename}"


class ImportProblem(models.Model):
    """A row of an extract that was flagged (kept) or rejected (left out), with the reasons."""

    class Severity(models.TextChoices):
        FLAGGED = "flagged", "Flagged"
        REJECTED = "rejected", "Rejected"

    extract = models.ForeignKey(ExtractImport, on_delete=models.CASCADE, related_name="problems")
    severity = models.CharField(max_length=8, choices=Severity.choices)
    row_number = models.PositiveIntegerField()
    record_id = models.CharField(max_length=100, blank=True)
    reasons = models.JSONField(default=list)

    class Meta:
        ordering = ["extract", "row_number"]

    def __str__(self) -> str:
        return f"Row {self.row_number}: {self.get_severity_display().lower()}"


class ChildSnapshot(models.Model):
    """The named fields of one extract record, as shown to the people who act on it."""

    nhs_number = models.CharField(max_length=20, blank=True)
    given_name = models.CharField(max_length=100, blank=True)
    family_name = models.CharField(max_length=100, blank=True)
    date_of_birth = models.DateField(null=True, blank=True)
    sex = models.CharField(max_length=1, blank=True)
    postcode = models.CharField(max_length=10, blank=True)
    address_line = models.CharField(max_length=300, blank=True)

    NAMED_FIELDS = (
        "nhs_number",
        "given_name",
        "family_name",
        "date_of_birth",
        "sex",
        "postcode",
        "address_line",
    )

    class Meta:
        abstract = True

    @property
    def full_name(self) -> str:
        return f"{self.given_name} {self.family_name}".strip() or "(name not given)"


class ReviewPair(models.Model):
    """A pair the linkage was unsure about, for a person to accept or reject side by side.
    Decisions are reused by the agency's later runs (LinkageSettings.decisions)."""

    class Decision(models.TextChoices):
        PENDING = "pending", "Waiting for a decision"
        ACCEPTED = "accepted", "Same child"
        REJECTED = "rejected", "Different children"

    run = models.ForeignKey(LinkageRun, on_delete=models.CASCADE, related_name="review_pairs")
    gp_record_id = models.CharField(max_length=100)
    hv_record_id = models.CharField(max_length=100)
    match_probability = models.FloatField()
    # Why a person must decide when the score alone would not say so (a possible second
    # registration, dates of birth that disagree, two family names a letter apart); no names.
    reason = models.CharField(max_length=200, blank=True)
    gp = models.JSONField(default=dict, blank=True)  # named snapshot; {} once purged
    hv = models.JSONField(default=dict, blank=True)
    # For a possible second registration, the matched record it may repeat: {"list": "gp" or
    # "hv", ...the record's snapshot}; {} otherwise and once purged.
    repeats = models.JSONField(default=dict, blank=True)
    decision = models.CharField(max_length=8, choices=Decision.choices, default=Decision.PENDING)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    purged_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-match_probability", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["run", "gp_record_id", "hv_record_id"], name="hr_review_pair_unique"
            )
        ]

    def __str__(self) -> str:
        return f"Review pair {self.gp_record_id} / {self.hv_record_id}"


class Direction(models.TextChoices):
    GP_NOT_KNOWN_TO_HV = "gp_not_known_to_hv", "Registered with a GP, not known to health visiting"
    HV_NOT_REGISTERED = "hv_not_registered", "Known to health visiting, not registered with a GP"


class Outcome(models.TextChoices):
    OPEN = "", "Open"
    NOW_KNOWN = "now_known", "Now known"
    MOVED_OUT = "moved_out", "Moved out of area"
    DUPLICATE = "duplicate", "Duplicate registration"
    RECORD_ERROR = "record_error", "Record error"
    DECEASED = "deceased", "Deceased"
    CONTACT_MADE = "contact_made", "Contact made"
    OTHER = "other", "Other"


class WorklistItem(ChildSnapshot):
    """A child on one list and not the other, allocated to a health visiting team to follow up.
    One open item per child: later runs refresh it (last_run) instead of adding another."""

    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    first_run = models.ForeignKey(LinkageRun, on_delete=models.CASCADE, related_name="+")
    last_run = models.ForeignKey(LinkageRun, on_delete=models.CASCADE, related_name="worklist")
    direction = models.CharField(max_length=20, choices=Direction.choices)
    record_id = models.CharField(max_length=100)
    gp_practice_code = models.CharField(max_length=20, blank=True)
    hv_team_code = models.CharField(max_length=120, blank=True)  # as written in the extract
    age_band = models.CharField(max_length=20, blank=True)
    locality = models.ForeignKey(
        Locality, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    team = models.ForeignKey(
        Team, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    due_date = models.DateField(null=True, blank=True)
    outcome = models.CharField(max_length=12, choices=Outcome.choices, blank=True, default="")
    outcome_notes = models.TextField(blank=True)
    outcome_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    outcome_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    purged_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["due_date", "family_name", "given_name", "pk"]
        indexes = [
            models.Index(fields=["agency", "direction", "record_id"]),
            models.Index(fields=["team", "outcome"]),
        ]

    def __str__(self) -> str:
        return f"Worklist item {self.pk} ({self.get_direction_display()})"

    @property
    def is_open(self) -> bool:
        return self.outcome == Outcome.OPEN


class PostcodeDistrict(models.Model):
    """Which locality a postcode district (the outward code, e.g. PE15) belongs to: how
    unknown children are allocated to the locality's health visiting team."""

    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="+")
    outward_code = models.CharField(max_length=4)
    locality = models.ForeignKey(Locality, on_delete=models.CASCADE, related_name="+")

    class Meta:
        ordering = ["outward_code"]
        constraints = [
            models.UniqueConstraint(
                fields=["partnership", "outward_code"], name="hr_postcode_district_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.outward_code} → {self.locality}"
