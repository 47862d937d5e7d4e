"""A real OpenID provider on loopback (provider.mjs: npm's certified `oidc-provider`).

`make test` and `make e2e` install its packages (`npm ci` in this folder). Without Node.js the
single sign-on tests fail with a message saying what to install; they are never skipped.
"""

import json
import os
import selectors
import shutil
import subprocess
import time
from pathlib import Path
from urllib.parse import urljoin

import pytest
import requests

PROVIDER_DIR = Path(__file__).parent
CLIENT_ID = "mobility-portal"
CLIENT_SECRET = "test-only-client-secret"  # noqa: S105 - the test provider's, nowhere else
OFFICE_GROUP = "international-office"

# The cast at the provider: login name -> password, subject and claims.
ACCOUNTS = {
    "ada": {
        "password": "ada-university-password",
        "sub": "3f1c0a52-ada",
        "claims": {
            "email": "ada.lovelace@university.test",
            "email_verified": True,
            "given_name": "Ada",
            "family_name": "Lovelace",
            "preferred_username": "ada",
            "groups": ["students"],
        },
    },
    "olga": {
        "password": "olga-university-password",
        "sub": "8d2e7b91-olga",
        "claims": {
            "email": "olga.ivanova@university.test",
            "email_verified": True,
            "given_name": "Olga",
            "family_name": "Ivanova",
            "preferred_username": "olga",
            "groups": ["staff", OFFICE_GROUP],
        },
    },
}


class OpenIDProvider:
    """One provider process: its issuer, and the accounts it knows (changeable at any time)."""

    def __init__(self, folder: Path, redirect_uris: list[str]):
        self.accounts_file = folder / "accounts.json"
        self.log_file = folder / "provider.log"
        self.redirect_uris = redirect_uris
        self.process: subprocess.Popen | None = None
        self.issuer = ""

    def start(self) -> "OpenIDProvider":
        node = shutil.which("node")
        if node is None:
            pytest.fail(
                "Single sign-on tests need Node.js for their OpenID provider: "
                "apt-get install -y nodejs npm (make test and make e2e install it as root).",
                pytrace=False,
            )
        if not (PROVIDER_DIR / "node_modules" / "oidc-provider").is_dir():
            pytest.fail(
                f"The test OpenID provider's packages are missing: npm ci --prefix {PROVIDER_DIR} "
                "(make test and make e2e run it).",
                pytrace=False,
            )
        self.reset_accounts()
        self.process = subprocess.Popen(
            [node, str(PROVIDER_DIR / "provider.mjs")],
            env={
                "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
                "REDIRECT_URIS": " ".join(self.redirect_uris),
                "CLIENT_ID": CLIENT_ID,
                "CLIENT_SECRET": CLIENT_SECRET,
                "ACCOUNTS_FILE": str(self.accounts_file),
            },
            stdout=subprocess.PIPE,
            stderr=self.log_file.open("w"),
            text=True,
        )
        self.issuer = self._first_line(timeout=30)
        return self

    def _first_line(self, timeout: float) -> str:
        """The issuer, which the provider prints once it listens (after any warnings)."""
        deadline = time.monotonic() + timeout
        with selectors.DefaultSelector() as selector:
            selector.register(self.process.stdout, selectors.EVENT_READ)
            while selector.select(max(0, deadline - time.monotonic())):
                line = self.process.stdout.readline()
                if not line:
                    break
                if line.startswith("http://127.0.0.1:"):
                    return line.strip()
        self.stop()
        log = self.log_file.read_text(encoding="utf-8")[-2000:]
        pytest.fail(f"The test OpenID provider did not start ({self.process.returncode}):\n{log}")

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=10)

    def reset_accounts(self) -> None:
        self.save_accounts(json.loads(json.dumps(ACCOUNTS)))

    def save_accounts(self, accounts: dict) -> None:
        self.accounts_file.write_text(json.dumps(accounts), encoding="utf-8")

    def change_claims(self, login: str, **claims) -> None:
        """Change what the provider says about someone, as a directory change would."""
        accounts = json.loads(self.accounts_file.read_text(encoding="utf-8"))
        accounts[login]["claims"].update(claims)
        self.save_accounts(accounts)

    def sign_in(self, authorization_url: str, login: str, password: str) -> str:
        """Through the provider's own sign-in form, as a browser would (no portal involved);
        returns where the provider sends the browser back, or fails."""
        browser = requests.Session()
        location = authorization_url
        for _step in range(10):
            response = browser.get(location, allow_redirects=False, timeout=10)
            if response.status_code == 200 and 'name="password"' in response.text:
                action = response.text.split('action="', 1)[1].split('"', 1)[0]
                response = browser.post(
                    urljoin(location, action),
                    data={"login": login, "password": password},
                    allow_redirects=False,
                    timeout=10,
                )
            assert response.status_code in (302, 303), (response.status_code, response.text)
            location = urljoin(location, response.headers["location"])
            if not location.startswith(self.issuer):
                return location
        pytest.fail("The provider kept redirecting to itself.")


def start_provider(folder: Path, redirect_uris: list[str]) -> OpenIDProvider:
    return OpenIDProvider(folder, redirect_uris).start()


def configure_portal(settings, provider: OpenIDProvider, **overrides) -> None:
    """The portal's settings as the OIDC_* variables would make them, for this provider."""
    settings.OIDC_ISSUER = provider.issuer
    settings.OIDC_ENABLED = True
    settings.OIDC_RP_CLIENT_ID = CLIENT_ID
    settings.OIDC_RP_CLIENT_SECRET = CLIENT_SECRET
    settings.OIDC_RP_SCOPES = "openid email profile groups"
    settings.OIDC_PROVIDER_NAME = "Test University"
    settings.OIDC_OFFICE_GROUP = OFFICE_GROUP
    settings.AUTHENTICATION_BACKENDS = [
        *settings.AUTHENTICATION_BACKENDS,
        "people.oidc.OIDCBackend",
    ]
    for name, value in overrides.items():
        setattr(settings, name, value)
