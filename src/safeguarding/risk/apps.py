from django.apps import AppConfig


class RiskConfig(AppConfig):
    name = "safeguarding.risk"
    label = "risk"
    verbose_name = "Domestic abuse risk identification"
