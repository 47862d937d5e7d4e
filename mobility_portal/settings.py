"""Settings for the academic mobility portal, read from the environment.

Every value that differs between a laptop and production comes from an environment variable
(see README.md and docs/deploy.md). Defaults are safe: DEBUG is off unless set, and a production
start without SECRET_KEY stops with a clear message.
"""

import datetime
import re
import sys
from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP
from django.utils.translation import gettext_lazy as _

from mobility_portal.security import add_static_file_headers

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = BASE_DIR / "var"

env = environ.Env()

DEBUG = env.bool("DEBUG", default=False)
# The test suite never serves real users: it gets a throwaway key and a fast password hasher.
RUNNING_TESTS = "pytest" in sys.modules

SECRET_KEY = env.str("SECRET_KEY", default="")
if not SECRET_KEY:
    if not (DEBUG or RUNNING_TESTS):
        raise ImproperlyConfigured(
            "SECRET_KEY is not set. Set the SECRET_KEY environment variable to a long random "
            "string (python -c 'import secrets; print(secrets.token_urlsafe(50))'), "
            "or set DEBUG=1 for local development."
        )
    # Development only: a key that is obviously not for production.
    SECRET_KEY = "insecure-development-key-do-not-use-in-production"  # noqa: S105

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "mobility_portal.admin_site.PortalAdminConfig",  # django.contrib.admin, stricter
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "bootstrap",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_filters",
    "django_countries",
    "simple_history",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "django_tasks_db",
    "import_export",
    "core",
    "mobility_portal",
    "partners",
    "people",
    "exchanges",
    "reporting",
]
# Demo and generated data (load_demo, generate_data) are development tools and not part of the
# wheel: installed with DEBUG, for the test suite, or where DEVDATA=1 loads data with DEBUG off.
DEVDATA = env.bool("DEVDATA", default=DEBUG or RUNNING_TESTS)
if DEVDATA:
    INSTALLED_APPS.append("devdata")

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Before anything that reads or writes a response's body, so that it compresses last.
    "mobility_portal.security.CompressTextMiddleware",
    "mobility_portal.security.RefuseNulInQueryStringMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "mobility_portal.security.SessionIdleTimeoutMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # After the session's user is known: a signed-in person's own language wins over the
    # cookie and Accept-Language that LocaleMiddleware went by.
    "people.middleware.ProfileLanguageMiddleware",
    # Every page requires sign-in unless its view is marked @login_not_required.
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    # Whether the session gave its second factor; until it has, an office session signed in
    # with a password reaches only the two-factor pages (REQUIRE_2FA_FOR_OFFICE).
    "django_otp.middleware.OTPMiddleware",
    "people.middleware.SecondFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last, as django-axes asks: it turns a locked-out sign-in into its lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "mobility_portal.urls"
WSGI_APPLICATION = "mobility_portal.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.csp",
                "mobility_portal.context_processors.roles",
            ],
        },
    },
]

# SQLite under var/ is the embedded default for a first run; production sets DATABASE_URL.
VAR_DIR.mkdir(exist_ok=True)
DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'mobility.sqlite3'}"),
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
# Covering indexes (Index.include) speed up PostgreSQL; SQLite, the first-run database, simply
# builds them without the extra columns, which is all we want there.
SILENCED_SYSTEM_CHECKS = ["models.W040"]

AUTHENTICATION_BACKENDS = [
    # Sign-in throttling first: it refuses a locked-out username and address before the password.
    "axes.backends.AxesStandaloneBackend",
    "people.auth.RoleAwareModelBackend",
]
# Sign-in with the university's directory (LDAP or Active Directory), when LDAP_SERVER_URI is
# set: the LDAP_* variables of README's configuration table; needs the "ldap" extra.
LDAP_SERVER_URI = env.str("LDAP_SERVER_URI", default="")
if LDAP_SERVER_URI:
    try:
        from people.directory_settings import BACKEND as LDAP_BACKEND
        from people.directory_settings import ldap_settings
    except ImportError as error:
        raise ImproperlyConfigured(
            "LDAP_SERVER_URI is set but django-auth-ldap is not installed: install "
            "requirements/ldap.txt (see docs/deploy.md)."
        ) from error
    globals().update(ldap_settings(env))
    # After the throttling, before local passwords: a directory account is found there first.
    AUTHENTICATION_BACKENDS.insert(1, LDAP_BACKEND)
# LOCAL_PASSWORDS=0: single sign-on only. A local password then opens only the break-glass
# accounts named in BREAK_GLASS_USERS, kept for when the directory or identity provider fails.
LOCAL_PASSWORDS = env.bool("LOCAL_PASSWORDS", default=True)
BREAK_GLASS_USERS = env.list("BREAK_GLASS_USERS", default=[])
# 5 failures for one username from one address lock that pair for 15 minutes; the admin can
# unlock earlier (Axes > Access attempts), and a successful sign-in resets the count.
AXES_ENABLED = env.bool("AXES_ENABLED", default=True)
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
# 20 failures from one address, whatever the usernames, lock the address for the same time:
# higher than the username limit because many people share a university's NAT address.
AXES_ADDRESS_FAILURE_LIMIT = env.int("AXES_ADDRESS_FAILURE_LIMIT", default=20)
AXES_HANDLER = "people.lockout.AddressLimitedAxesHandler"
AXES_COOLOFF_TIME = datetime.timedelta(minutes=env.int("AXES_COOLOFF_MINUTES", default=15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_CLIENT_IP_CALLABLE = "core.audit.client_ip"
AXES_USERNAME_FORM_FIELD = "username"
AXES_USERNAME_CALLABLE = "people.lockout.axes_username"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Seconds a password-reset or invitation link works (once). Three days, Django's default: an
# invitation is not always read the day it is sent; any sign-in or new password ends it sooner.
PASSWORD_RESET_TIMEOUT = env.int("PASSWORD_RESET_TIMEOUT", default=3 * 24 * 60 * 60)
# Password-reset e-mails asked for within an hour: per e-mail address typed, and per client
# address (core.ratelimit counts them in the cache).
PASSWORD_RESET_LIMIT_PER_EMAIL = env.int("PASSWORD_RESET_LIMIT_PER_EMAIL", default=3)
PASSWORD_RESET_LIMIT_PER_IP = env.int("PASSWORD_RESET_LIMIT_PER_IP", default=10)
PASSWORD_RESET_LIMIT_WINDOW_SECONDS = 60 * 60
# The cache: local memory in each process unless CACHE_URL names a shared one, Redis
# (redis://host:6379/0) or dbcache://portal_cache after `manage.py createcachetable`, which
# several processes or servers need to count the rate limits above together. Cached pages stay
# correct either way: they are keyed by the data version in the database (core/cache.py).
CACHES = {"default": env.cache_url("CACHE_URL", default="locmemcache://")}
# django-environ maps redis:// to django-redis when that package happens to be installed; the
# portal uses Django's own Redis backend, with the `redis` package it depends on.
if CACHES["default"]["BACKEND"] == "django_redis.cache.RedisCache":
    CACHES["default"]["BACKEND"] = "django.core.cache.backends.redis.RedisCache"

# Office accounts signed in with a password (local or directory) also give a code from an
# authenticator app or a recovery code (people/two_factor.py); single sign-on relies on the
# identity provider's own second factor. On unless DEBUG (the demo); the tests switch it on
# where they need it.
REQUIRE_2FA_FOR_OFFICE = env.bool("REQUIRE_2FA_FOR_OFFICE", default=not DEBUG)

if RUNNING_TESTS:
    REQUIRE_2FA_FOR_OFFICE = False
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # The test client's login() authenticates without a request, which django-axes refuses;
    # the throttling tests switch it on for themselves.
    AXES_ENABLED = False

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "dashboard"
LOGOUT_REDIRECT_URL = "login"

# Single sign-on with OpenID Connect (people/oidc.py, mozilla-django-oidc), on when OIDC_ISSUER is
# set. The endpoints come from the issuer's discovery document at the first sign-in, unless given.
OIDC_ISSUER = env.str("OIDC_ISSUER", default="")
OIDC_ENABLED = bool(OIDC_ISSUER)
OIDC_RP_CLIENT_ID = env.str("OIDC_CLIENT_ID", default="")
OIDC_RP_CLIENT_SECRET = env.str("OIDC_CLIENT_SECRET", default="")
if OIDC_ENABLED:
    if not (OIDC_RP_CLIENT_ID and OIDC_RP_CLIENT_SECRET):
        raise ImproperlyConfigured("OIDC_ISSUER is set: set OIDC_CLIENT_ID and OIDC_CLIENT_SECRET.")
    AUTHENTICATION_BACKENDS.append("people.oidc.OIDCBackend")
OIDC_OP_AUTHORIZATION_ENDPOINT = env.str("OIDC_AUTHORIZATION_ENDPOINT", default="")
OIDC_OP_TOKEN_ENDPOINT = env.str("OIDC_TOKEN_ENDPOINT", default="")
OIDC_OP_USER_ENDPOINT = env.str("OIDC_USERINFO_ENDPOINT", default="")
OIDC_OP_JWKS_ENDPOINT = env.str("OIDC_JWKS_URI", default="")
# The button on the sign-in page reads "Sign in with <this>".
OIDC_PROVIDER_NAME = env.str("OIDC_PROVIDER_NAME", default="")
OIDC_RP_SCOPES = env.str("OIDC_SCOPES", default="openid email profile")
OIDC_RP_SIGN_ALGO = env.str("OIDC_SIGN_ALGORITHM", default="RS256")
OIDC_CLAIM_USERNAME = env.str("OIDC_CLAIM_USERNAME", default="preferred_username")
OIDC_CLAIM_EMAIL = env.str("OIDC_CLAIM_EMAIL", default="email")
OIDC_CLAIM_GIVEN_NAME = env.str("OIDC_CLAIM_GIVEN_NAME", default="given_name")
OIDC_CLAIM_FAMILY_NAME = env.str("OIDC_CLAIM_FAMILY_NAME", default="family_name")
OIDC_CLAIM_GROUPS = env.str("OIDC_CLAIM_GROUPS", default="groups")
# A value of the groups claim: whoever has it is in the international office, and whoever loses
# it leaves the office at their next sign-in. Empty: the office role is granted in the portal.
OIDC_OFFICE_GROUP = env.str("OIDC_OFFICE_GROUP", default="")
# The first sign-in of someone unknown creates their account; off: the office creates accounts.
OIDC_CREATE_USERS = env.bool("OIDC_CREATE_USERS", default=True)
# An existing account is linked by e-mail address only if the provider says it verified it.
OIDC_REQUIRE_VERIFIED_EMAIL = env.bool("OIDC_REQUIRE_VERIFIED_EMAIL", default=True)
OIDC_TIMEOUT = env.int("OIDC_TIMEOUT", default=10)
OIDC_USE_PKCE = True
OIDC_AUTHENTICATION_CALLBACK_URL = "oidc:callback"

# Each language is named in itself, untranslated: a reader looking for their own language in the
# switcher finds it whatever language the page is in.
LANGUAGES = [("en", "English"), ("ru", "Русский"), ("be", "Беларуская")]
# The language of a request that asks for none we have (no profile choice, no cookie, no
# Accept-Language we know).
LANGUAGE_CODE = env.str("LANGUAGE_CODE", default="en")
if LANGUAGE_CODE not in dict(LANGUAGES):
    raise ImproperlyConfigured(
        f"LANGUAGE_CODE {LANGUAGE_CODE!r} is not one of {', '.join(dict(LANGUAGES))}."
    )
# Our date formats (day before month in every language): Django has none for Belarusian, and
# its English ones put the month first.
FORMAT_MODULE_PATH = ["core.formats"]
# Our catalogues, then our corrections to Django's Belarusian ones (month names in the right
# case, the official orthography) and Belarusian country names, which django-countries lacks;
# both come before the catalogues of Django and the packages.
LOCALE_PATHS = [BASE_DIR / "locale", BASE_DIR / "core" / "locale_corrections"]
TIME_ZONE = env.str("TIME_ZONE", default="Europe/Minsk")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = env.path("STATIC_ROOT", default=VAR_DIR / "static")
STATICFILES_DIRS = [BASE_DIR / "static"]
# Uploaded documents: at most this many bytes each (20 MB unless configured).
MAX_UPLOAD_SIZE = env.int("MAX_UPLOAD_SIZE", default=20 * 1024 * 1024)
# Files an application (draft or submitted) may carry; the forms refuse more before reading any.
MAX_ATTACHMENTS_PER_APPLICATION = env.int("MAX_ATTACHMENTS_PER_APPLICATION", default=10)
# Spreadsheets imported in the admin (core/imports): at most this many bytes (20 MB unless
# configured, the proxy's limit in docs/deploy.md); larger files go through `import_data`.
MAX_IMPORT_SIZE = env.int("MAX_IMPORT_SIZE", default=20 * 1024 * 1024)
# Importing needs the permission to add, exporting the permission to view.
IMPORT_EXPORT_IMPORT_PERMISSION_CODE = "add"
IMPORT_EXPORT_EXPORT_PERMISSION_CODE = "view"
IMPORT_EXPORT_SKIP_ADMIN_LOG = False
# Rows per page of every list in the portal (programs, applications, the review queue, partners,
# agreements).
PAGE_SIZE = env.int("PAGE_SIZE", default=25)
# Days before its end that a signed agreement counts as expiring: its status, the dashboard's
# list and the agreement filters all use this one window.
EXPIRY_WARNING_DAYS = env.int("EXPIRY_WARNING_DAYS", default=90)
# Files one request may send (Django answers 400 beyond). Checking a file's type reads a bounded
# amount of it (partners/validators.py), so this also caps what one request makes the check read.
DATA_UPLOAD_MAX_NUMBER_FILES = max(20, MAX_ATTACHMENTS_PER_APPLICATION)
MEDIA_ROOT = env.path("MEDIA_ROOT", default=VAR_DIR / "media")
Path(STATIC_ROOT).mkdir(parents=True, exist_ok=True)
# Uploaded files: on local disk (MEDIA_ROOT), or in an S3-compatible object store shared by
# several application servers (MEDIA_STORAGE=s3; needs the "s3" extra: pip install '.[s3]').
# Either way they are served only through views that check permissions, never by URL.
MEDIA_STORAGE = env.str("MEDIA_STORAGE", default="filesystem")
if MEDIA_STORAGE == "s3":
    _media_storage = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": env.str("S3_BUCKET"),
            "endpoint_url": env.str("S3_ENDPOINT_URL", default="") or None,
            "region_name": env.str("S3_REGION", default="") or None,
            "access_key": env.str("S3_ACCESS_KEY_ID", default="") or None,
            "secret_key": env.str("S3_SECRET_ACCESS_KEY", default="") or None,
            "default_acl": "private",
            "file_overwrite": False,
            "querystring_auth": True,
        },
    }
elif MEDIA_STORAGE == "filesystem":
    _media_storage = {"BACKEND": "django.core.files.storage.FileSystemStorage"}
else:
    raise ImproperlyConfigured("MEDIA_STORAGE must be 'filesystem' or 's3'.")
STORAGES = {
    "default": _media_storage,
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG or RUNNING_TESTS
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
# Tests and first runs work without collectstatic; production runs it (docs/deploy.md).
WHITENOISE_USE_FINDERS = DEBUG
WHITENOISE_AUTOREFRESH = DEBUG
WHITENOISE_ADD_HEADERS_FUNCTION = add_static_file_headers

# EMAIL_URL, e.g. smtp+tls://user:password@mail.example.org:587 or consolemail:// in development.
_email = env.email_url("EMAIL_URL", default="consolemail://" if DEBUG else "smtp://localhost:25")
_smtp_options = {
    "host": _email.get("EMAIL_HOST"),
    "port": _email.get("EMAIL_PORT"),
    "username": _email.get("EMAIL_HOST_USER"),
    "password": _email.get("EMAIL_HOST_PASSWORD"),
    "use_tls": _email.get("EMAIL_USE_TLS"),
    "use_ssl": _email.get("EMAIL_USE_SSL"),
    "timeout": env.int("EMAIL_TIMEOUT", default=10),
}
MAILERS = {
    "default": {
        "BACKEND": _email["EMAIL_BACKEND"],
        "OPTIONS": (
            {key: value for key, value in _smtp_options.items() if value not in (None, "")}
            if _email["EMAIL_BACKEND"].endswith("smtp.EmailBackend")
            else {}
        ),
    }
}
DEFAULT_FROM_EMAIL = env.str(
    "DEFAULT_FROM_EMAIL", default="International Office <international@localhost>"
)
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# Every e-mail of the portal is queued in the database (core.mail) and sent by `manage.py
# db_worker`, in tests too. After a failed attempt the next one waits this many minutes, one
# delay per attempt; after the last the e-mail is marked failed for the office to resend.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
EMAIL_RETRY_MINUTES = env.list("EMAIL_RETRY_MINUTES", cast=int, default=[1, 5, 15, 60, 240, 720])
# The portal's address, for links in e-mails sent outside a request (cron commands).
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000").rstrip("/")
# Where notices for the international office go (expiring agreements, new applications).
INTERNATIONAL_OFFICE_EMAIL = env.str(
    "INTERNATIONAL_OFFICE_EMAIL", default="international@localhost"
)

# Security headers. Production runs behind a TLS-terminating proxy: see docs/deploy.md.
HTTPS = env.bool("HTTPS", default=not (DEBUG or RUNNING_TESTS))
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=False)
BEHIND_TLS_PROXY = env.bool("BEHIND_TLS_PROXY", default=False)
if BEHIND_TLS_PROXY:
    # Only behind a proxy that sets this header itself and strips it from client requests.
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31536000 if HTTPS else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=HTTPS)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = HTTPS
if HTTPS:
    # The __Host- prefix pins the cookies to this host, HTTPS and path /.
    SESSION_COOKIE_NAME = "__Host-sessionid"
    CSRF_COOKIE_NAME = "__Host-csrftoken"
    LANGUAGE_COOKIE_NAME = "__Host-language"
SESSION_COOKIE_HTTPONLY = True
# The language chosen signed out: no script reads it, and it travels only over HTTPS.
LANGUAGE_COOKIE_SECURE = HTTPS
LANGUAGE_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_SAMESITE = "Lax"
# Messages ride in the session rather than in a `messages` cookie of their own, which could not
# carry the __Host- prefix: every cookie the portal sets is then one of the three above.
MESSAGE_STORAGE = "django.contrib.messages.storage.session.SessionStorage"
# No script of ours reads the CSRF cookie: forms carry the token in a hidden field.
CSRF_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_AGE = env.int("SESSION_COOKIE_AGE", default=8 * 60 * 60)
# Inactivity timeout: an idle session ends after SESSION_COOKIE_AGE. Activity renews it, at most
# once per SESSION_REFRESH_SECONDS (mobility_portal.security.SessionIdleTimeoutMiddleware).
SESSION_REFRESH_SECONDS = env.int("SESSION_REFRESH_SECONDS", default=300)

SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF, CSP.NONCE],
    # Bootstrap's CSS draws its icons (navbar toggler, form validation) as data: SVGs.
    "img-src": [CSP.SELF, "data:"],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.NONE],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
}

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# Name shown in the navigation and the e-mails.
PORTAL_NAME = env.str("PORTAL_NAME", default="") or _("Academic Mobility Portal")
UNIVERSITY_NAME = env.str("UNIVERSITY_NAME", default="Belarusian State Medical University")
# A university's own look: its logo beside the portal's name, and its colour for the navbar and
# the buttons. White text sits on that colour, so a colour it would be hard to read on is refused.
UNIVERSITY_LOGO = env.str("UNIVERSITY_LOGO", default="")
if UNIVERSITY_LOGO.startswith("http://"):
    raise ImproperlyConfigured("UNIVERSITY_LOGO must be a path under static/ or an https:// URL.")
if UNIVERSITY_LOGO.startswith("https://"):
    # The logo's own server, not every https image: the CSP keeps images to known origins.
    _logo_origin = "/".join(UNIVERSITY_LOGO.split("/", 3)[:3])
    SECURE_CSP["img-src"] = [*SECURE_CSP["img-src"], _logo_origin]
PRIMARY_COLOUR = env.str("PRIMARY_COLOUR", default="#0d6efd")


def _relative_luminance(hex_colour: str) -> float:
    """WCAG 2 relative luminance of a #rrggbb colour."""
    channels = [int(hex_colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


if not re.fullmatch(r"#[0-9a-fA-F]{6}", PRIMARY_COLOUR):
    raise ImproperlyConfigured(
        f"PRIMARY_COLOUR must be a CSS hex colour such as #0d6efd, not {PRIMARY_COLOUR!r}."
    )
_white_contrast = 1.05 / (_relative_luminance(PRIMARY_COLOUR) + 0.05)
if _white_contrast < 4.5:
    raise ImproperlyConfigured(
        f"PRIMARY_COLOUR {PRIMARY_COLOUR} is too light: white text on it has a contrast of "
        f"{_white_contrast:.2f}:1, under the 4.5:1 that WCAG AA asks for. Choose a darker colour."
    )

# How authenticator apps name the portal's entry (django-otp).
OTP_TOTP_ISSUER = UNIVERSITY_NAME

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
        # Audit lines: UTC time, then one JSON object, so user input can never break a line.
        "audit": {"()": "core.audit.UTCFormatter", "format": "%(asctime)s %(message)s"},
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": "plain"},
        "audit": {"class": "logging.StreamHandler", "formatter": "audit"},
    },
    "loggers": {
        "mobility.audit": {"handlers": ["audit"], "level": "INFO", "propagate": False},
        "axes": {"level": "WARNING"},
    },
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
}
