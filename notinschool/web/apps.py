from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "notinschool.web"
    label = "web"

    def ready(self) -> None:
        from notinschool.web.logging import request_finished_connect

        request_finished_connect()  # a log line's request id ends with its response
