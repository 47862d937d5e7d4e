"""The AUTH_LDAP_* settings of django-auth-ldap, from the LDAP_* environment variables.

settings.py calls this when LDAP_SERVER_URI is set, so it imports no model; the backend that
reads these settings is `people.directory`. README's configuration table describes each variable.
"""

import ldap
from django_auth_ldap.config import LDAPSearch, MemberDNGroupType

BACKEND = "people.directory.DirectoryBackend"


def ldap_settings(env) -> dict:
    """AUTH_LDAP_* settings from the environment (a django-environ Env)."""
    office_group_dn = env.str("LDAP_OFFICE_GROUP_DN", default="")
    connection_options = {
        # A directory that does not answer must not hold the sign-in page (and a worker) for long.
        ldap.OPT_NETWORK_TIMEOUT: 5,
        ldap.OPT_TIMEOUT: 10,
        # Active Directory answers searches from the domain's root with referrals that
        # python-ldap would chase anonymously, and fail.
        ldap.OPT_REFERRALS: 0,
    }
    ca_file = env.str("LDAP_CA_FILE", default="")
    if ca_file:
        connection_options[ldap.OPT_X_TLS_CACERTFILE] = ca_file
        # The TLS options above take effect in a new TLS context, made last.
        connection_options[ldap.OPT_X_TLS_NEWCTX] = 0
    return {
        "AUTH_LDAP_SERVER_URI": env.str("LDAP_SERVER_URI"),
        "AUTH_LDAP_START_TLS": env.bool("LDAP_START_TLS", default=False),
        "AUTH_LDAP_CONNECTION_OPTIONS": connection_options,
        # The portal's own account in the directory, for finding people (empty: anonymous).
        "AUTH_LDAP_BIND_DN": env.str("LDAP_BIND_DN", default=""),
        "AUTH_LDAP_BIND_PASSWORD": env.str("LDAP_BIND_PASSWORD", default=""),
        # Search, then bind as the person found: people may live anywhere under the base.
        "AUTH_LDAP_USER_SEARCH": LDAPSearch(
            env.str("LDAP_USER_SEARCH_BASE"),
            ldap.SCOPE_SUBTREE,
            env.str("LDAP_USER_FILTER", default="(uid=%(user)s)"),
        ),
        "AUTH_LDAP_USER_ATTR_MAP": {
            "first_name": env.str("LDAP_ATTR_FIRST_NAME", default="givenName"),
            "last_name": env.str("LDAP_ATTR_LAST_NAME", default="sn"),
            "email": env.str("LDAP_ATTR_EMAIL", default="mail"),
        },
        # Names and e-mail follow the directory at every sign-in.
        "AUTH_LDAP_ALWAYS_UPDATE_USER": True,
        "AUTH_LDAP_OFFICE_GROUP_DN": office_group_dn,
        # The office group is the only group asked about: a compare of its `member` values
        # (groupOfNames in OpenLDAP, groups in Active Directory), or a search of it alone.
        "AUTH_LDAP_GROUP_TYPE": MemberDNGroupType(member_attr="member"),
        "AUTH_LDAP_GROUP_SEARCH": (
            LDAPSearch(office_group_dn, ldap.SCOPE_BASE) if office_group_dn else None
        ),
    }
