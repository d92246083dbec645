"""A minimal portal with "Zaloguj przez login.gov.pl" (eidpl.django). Not for production as is:
set PORTAL_SECRET_KEY, DEBUG off, HTTPS.

Environment:
  EIDPL_SETTINGS_FILE  the eidpl settings (.toml/.json, docs/wk.md); default ./eidpl.toml
  PORTAL_DB            the SQLite database; default ./db.sqlite3
  PORTAL_SECRET_KEY    Django's SECRET_KEY (also the key of the PESEL hash)
"""

import os
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent

SECRET_KEY = os.environ.get("PORTAL_SECRET_KEY", "example-portal-not-for-production")
DEBUG = os.environ.get("PORTAL_DEBUG", "") == "1"
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "eidpl.django",
    "portal",
]
MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]
ROOT_URLCONF = "portal.urls"
TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
            ]
        },
    }
]
WSGI_APPLICATION = "portal.wsgi.application"
DATABASES = {
    "default": {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": os.environ.get("PORTAL_DB", str(BASE_DIR / "db.sqlite3")),
    }
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
USE_TZ = True
TIME_ZONE = "Europe/Warsaw"
LANGUAGE_CODE = "pl"

# WK's answer comes back as a cross-site POST; with the default SameSite=Lax session cookie the ACS
# finishes the login with a same-site re-POST (bindings/python/README.md, "SameSite").
AUTHENTICATION_BACKENDS = ["eidpl.django.backends.EidplBackend"]
LOGIN_URL = "eidpl:login"
EIDPL = {
    "SETTINGS_FILE": os.environ.get("EIDPL_SETTINGS_FILE", str(BASE_DIR / "eidpl.toml")),
    "LOGIN_REDIRECT_URL": "home",
    "LOGOUT_REDIRECT_URL": "home",
}
