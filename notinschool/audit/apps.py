from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "notinschool.audit"
    label = "audit"

    def ready(self) -> None:
        from notinschool.audit.signin import signin_audit_connect

        signin_audit_connect()
