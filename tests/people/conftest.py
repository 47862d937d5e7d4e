import pytest

from tests.oidc_provider import configure_portal, start_provider


@pytest.fixture(scope="session")
def oidc_provider_process(tmp_path_factory):
    # The test client's requests come from http://testserver.
    provider = start_provider(
        tmp_path_factory.mktemp("oidc"), ["http://testserver/accounts/oidc/callback/"]
    )
    yield provider
    provider.stop()


@pytest.fixture
def oidc_provider(oidc_provider_process, settings, db):
    """The real provider, with its cast of accounts, and the portal configured for it."""
    oidc_provider_process.reset_accounts()
    configure_portal(settings, oidc_provider_process)
    return oidc_provider_process
