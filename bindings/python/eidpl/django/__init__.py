"""Django integration of eidpl: login, ACS and logout views for Węzeł Krajowy (login.gov.pl), an
authentication backend mapping the verified citizen to a user, and error pages.

    INSTALLED_APPS += ["eidpl.django"]
    AUTHENTICATION_BACKENDS = ["eidpl.django.backends.EidplBackend"]
    urlpatterns += [path("eidpl/", include("eidpl.django.urls"))]
    EIDPL = {"SETTINGS_FILE": BASE_DIR / "eidpl.toml"}

See bindings/python/README.md, "Django".
"""
