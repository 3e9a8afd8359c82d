from django.apps import AppConfig


class InvestmentsConfig(AppConfig):
    name = "investments"
    verbose_name = "Investments and monitoring"

    def ready(self) -> None:
        from investments import receivers  # noqa: F401  (connects the receivers)
