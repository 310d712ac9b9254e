"""Admin pages. Audit entries are read-only; everything else writes its own audit entry."""

from __future__ import annotations

from django.contrib import admin

from safeguarding.core import audit
from safeguarding.core.models import AuditEntry


class AuditedModelAdmin(admin.ModelAdmin):
    """Every change made through the admin goes into the audit trail, like a service write."""

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        label = obj._meta.label_lower
        if change:
            changes = {
                name: [form.initial.get(name), form.cleaned_data.get(name)]
                for name in form.changed_data
            }
            audit.record(
                action=f"{label}.updated_in_admin", obj=obj, actor=request.user, changes=changes
            )
        else:
            audit.record(
                action=f"{label}.created_in_admin",
                obj=obj,
                actor=request.user,
                changes={name: form.cleaned_data.get(name) for name in form.changed_data},
            )

    def delete_model(self, request, obj):
        audit.record(
            action=f"{obj._meta.label_lower}.deleted_in_admin", obj=obj, actor=request.user
        )
        super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            self.delete_model(request, obj)

    def save_formset(self, request, form, formset, change):
        instances = formset.save(commit=False)
        for obj in formset.deleted_objects:
            audit.record(
                action=f"{obj._meta.label_lower}.deleted_in_admin", obj=obj, actor=request.user
            )
            obj.delete()
        for obj in instances:
            is_new = obj.pk is None
            obj.save()
            verb = "created_in_admin" if is_new else "updated_in_admin"
            audit.record(action=f"{obj._meta.label_lower}.{verb}", obj=obj, actor=request.user)
        formset.save_m2m()


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    list_display = [
        "created_at",
        "actor_email",
        "action",
        "object_type",
        "object_id",
        "client_address",
    ]
    list_filter = ["action", "object_type"]
    search_fields = ["actor_email", "action", "object_repr", "object_id"]
    date_hierarchy = "created_at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
