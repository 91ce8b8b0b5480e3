from django.apps import AppConfig


class WorkflowConfig(AppConfig):
    """Flows that cross domains: after an import, after a merge or split, the scheduled runs."""

    name = "notinschool.workflow"
    label = "workflow"
