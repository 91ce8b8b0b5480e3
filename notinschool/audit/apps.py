from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "notinschool.audit"
    label = "audit"
