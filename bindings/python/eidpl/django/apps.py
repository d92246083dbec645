from django.apps import AppConfig


class EidplConfig(AppConfig):
    name = "eidpl.django"
    # "django" would clash with django's own label.
    label = "eidpl_django"
    verbose_name = "eidpl (login.gov.pl)"
