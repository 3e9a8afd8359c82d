from django.apps import AppConfig


class AssessmentConfig(AppConfig):
    name = "assessment"
    verbose_name = "Assessment and decisions"

    def ready(self) -> None:
        from assessment import panel_summary

        panel_summary.connect()
