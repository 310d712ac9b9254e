"""Shapes of the API's requests and responses. Serializers only validate input and render
output; every write goes through people.services."""

from __future__ import annotations

from django.db.models import Prefetch, prefetch_related_objects
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from safeguarding.people.models import (
    Agency,
    Locality,
    Membership,
    Role,
    RoleGrant,
    Sector,
    User,
)

# Agencies ------------------------------------------------------------------------------------


class RefSerializer(serializers.Serializer):
    """A related record by id and name."""

    id = serializers.IntegerField(read_only=True)
    name = serializers.CharField(read_only=True)


class AgencySerializer(serializers.ModelSerializer):
    sector_display = serializers.CharField(source="get_sector_display", read_only=True)
    locality = RefSerializer(read_only=True, allow_null=True)
    email_domains = serializers.ListField(child=serializers.CharField(), read_only=True)

    class Meta:
        model = Agency
        fields = [
            "id",
            "name",
            "sector",
            "sector_display",
            "locality",
            "is_statutory_partner",
            "funds_partnership",
            "email_domains",
        ]
        read_only_fields = fields


class AgencyWriteSerializer(serializers.Serializer):
    """Input for creating (POST) or changing (PATCH) an agency."""

    name = serializers.CharField(max_length=200)
    sector = serializers.ChoiceField(choices=Sector.choices)
    locality = serializers.PrimaryKeyRelatedField(
        queryset=Locality.objects.all(),
        allow_null=True,
        required=False,
        help_text="Locality id, or null for countywide.",
    )
    is_statutory_partner = serializers.BooleanField(required=False)
    funds_partnership = serializers.BooleanField(required=False)
    email_domains = serializers.ListField(
        child=serializers.CharField(max_length=253),
        required=False,
        allow_empty=True,
        max_length=50,
        help_text="Work e-mail domains of its staff, e.g. police.example.",
    )


class AgencyFilterSerializer(serializers.Serializer):
    sector = serializers.ChoiceField(
        choices=Sector.choices,
        required=False,
        allow_blank=True,
        help_text="Only agencies in this sector.",
    )
    q = serializers.CharField(
        required=False, allow_blank=True, max_length=100, help_text="Part of the agency's name."
    )


# People --------------------------------------------------------------------------------------


class MembershipSerializer(serializers.ModelSerializer):
    agency = RefSerializer(read_only=True)
    team = RefSerializer(read_only=True, allow_null=True)
    line_manager = serializers.PrimaryKeyRelatedField(read_only=True, allow_null=True)
    roles = serializers.SerializerMethodField()

    class Meta:
        model = Membership
        fields = ["agency", "team", "job_title", "line_manager", "roles"]
        read_only_fields = fields

    @extend_schema_field(serializers.ListField(child=serializers.ChoiceField(choices=Role.choices)))
    def get_roles(self, membership: Membership) -> list[str]:
        return sorted(grant.role for grant in membership.role_grants.all())


class PersonSerializer(serializers.ModelSerializer):
    memberships = MembershipSerializer(many=True, read_only=True)

    class Meta:
        model = User
        fields = ["id", "email", "given_name", "family_name", "is_active", "memberships"]
        read_only_fields = fields


class PersonFilterSerializer(serializers.Serializer):
    agency = serializers.IntegerField(
        required=False, min_value=1, help_text="Only members of this agency (id)."
    )
    role = serializers.ChoiceField(
        choices=Role.choices,
        required=False,
        allow_blank=True,
        help_text="Only people holding this role.",
    )
    q = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=100,
        help_text="Part of the name or e-mail address.",
    )


def prefetch_memberships(people: list[User]) -> None:
    """Load what PersonSerializer shows for people fetched one at a time (lists come from
    people.selectors.person_list, which prefetches the same)."""
    prefetch_related_objects(
        people,
        Prefetch(
            "memberships",
            queryset=Membership.objects.select_related(
                "agency", "team", "line_manager"
            ).prefetch_related(Prefetch("role_grants", queryset=RoleGrant.objects.all())),
        ),
    )
