from django.apps import AppConfig


class HealthRecordsConfig(AppConfig):
    name = "safeguarding.health_records"
    label = "health_records"
    verbose_name = "Children missing from health records"
