"""Admin: the postcode districts that allocate children to localities (reference data). Runs,
imports, pairs and worklist items are read-only here: they change through the services only."""

from django.contrib import admin

from safeguarding.core import audit
from safeguarding.health_records.models import LinkageRun, PostcodeDistrict


@admin.register(PostcodeDistrict)
class PostcodeDistrictAdmin(admin.ModelAdmin):
    list_display = ["outward_code", "locality", "partnership"]
    list_filter = ["locality"]
    search_fields = ["outward_code"]

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        audit.record(
            action=f"health_records.postcodedistrict.{'updated' if change else 'created'}",
            obj=obj,
            actor=request.user,
            changes=form.cleaned_data,
        )

    def delete_model(self, request, obj):
        audit.record(action="health_records.postcodedistrict.deleted", obj=obj, actor=request.user)
        super().delete_model(request, obj)


@admin.register(LinkageRun)
class LinkageRunAdmin(admin.ModelAdmin):
    """Counts only: no named child is shown in the admin."""

    list_display = ["pk", "extract_date", "agency", "status", "matched", "review"]
    list_filter = ["status", "agency"]
    fields = [
        "agency",
        "extract_date",
        "status",
        "error",
        "gp_records",
        "hv_records",
        "matched",
        "review",
        "gp_not_known_to_hv",
        "hv_not_registered_with_gp",
        "created_at",
        "finished_at",
        "purged_at",
    ]
    readonly_fields = fields

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
