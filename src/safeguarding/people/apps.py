from django.apps import AppConfig


class PeopleConfig(AppConfig):
    name = "safeguarding.people"
    label = "people"
    verbose_name = "People and agencies"

    def ready(self) -> None:
        from safeguarding.people import signals  # noqa: F401
