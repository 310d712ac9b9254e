from django.apps import AppConfig


class RiskConfig(AppConfig):
    name = "safeguarding.risk"
    label = "risk"
    verbose_name = "Domestic abuse risk identification"

    def ready(self):
        from safeguarding.people.permissions import declare
        from safeguarding.risk.capabilities import ROLE_CAPABILITIES

        declare(ROLE_CAPABILITIES)
