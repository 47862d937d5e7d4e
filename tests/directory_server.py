"""A real OpenLDAP server (Debian's slapd) on a free loopback port, for the directory tests.

Its own configuration and database in a temporary folder, so a slapd service that the package
started on port 389 plays no part. The tests change entries through `Directory`, as the
directory's administrator, over LDAP.
"""

import shutil
import subprocess
import time
from pathlib import Path

import ldap
import ldap.modlist

from tests.outbox import closed_port

SLAPD = Path("/usr/sbin/slapd")
SCHEMAS = Path("/etc/ldap/schema")
INSTALL_HINT = (
    "The directory sign-in tests need OpenLDAP's server: install it with\n"
    "  sudo DEBIAN_FRONTEND=noninteractive apt-get install -y slapd ldap-utils"
)

SUFFIX = "dc=university,dc=example"
ADMIN_DN = f"cn=admin,{SUFFIX}"
ADMIN_PASSWORD = "directory-admin-secret"  # noqa: S105 (a throwaway test server)
PEOPLE = f"ou=people,{SUFFIX}"
GROUPS = f"ou=groups,{SUFFIX}"
SERVICE_DN = f"cn=portal,ou=services,{SUFFIX}"
SERVICE_PASSWORD = "portal-service-secret"  # noqa: S105
OFFICE_GROUP_DN = f"cn=international-office,{GROUPS}"

# Anonymous clients may only bind: finding people takes the portal's service account, as in
# a real directory.
CONFIG = """\
include {schemas}/core.schema
include {schemas}/cosine.schema
include {schemas}/inetorgperson.schema
include {schemas}/nis.schema
pidfile {folder}/slapd.pid
modulepath /usr/lib/ldap
moduleload back_mdb
{tls}
database mdb
maxsize 16777216
suffix "{suffix}"
rootdn "{admin_dn}"
rootpw {admin_password}
directory {folder}/data
access to attrs=userPassword by self write by anonymous auth by * none
access to * by users read by * none
"""


def person(uid: str, given_name: str, surname: str, password: str, **extra) -> tuple:
    attrs = {
        "objectClass": ["inetOrgPerson"],
        "uid": [uid],
        "cn": [f"{given_name} {surname}"],
        "givenName": [given_name],
        "sn": [surname],
        "mail": [f"{uid}@university.example"],
        "userPassword": [password],
        **{name: [value] for name, value in extra.items()},
    }
    return f"uid={uid},{PEOPLE}", attrs


BASE_ENTRIES = [
    (SUFFIX, {"objectClass": ["dcObject", "organization"], "dc": ["university"], "o": ["U"]}),
    (PEOPLE, {"objectClass": ["organizationalUnit"], "ou": ["people"]}),
    (GROUPS, {"objectClass": ["organizationalUnit"], "ou": ["groups"]}),
    (f"ou=services,{SUFFIX}", {"objectClass": ["organizationalUnit"], "ou": ["services"]}),
    (
        SERVICE_DN,
        {
            "objectClass": ["organizationalRole", "simpleSecurityObject"],
            "cn": ["portal"],
            "userPassword": [SERVICE_PASSWORD],
        },
    ),
    person("ivanova", "Anna", "Ivanova", "anna-directory-pass", preferredLanguage="be"),
    person("petrov", "Pavel", "Petrov", "pavel-directory-pass"),
    (
        OFFICE_GROUP_DN,
        {
            "objectClass": ["groupOfNames"],
            "cn": ["international-office"],
            "member": [f"uid=ivanova,{PEOPLE}"],
        },
    ),
]


class Directory:
    """slapd running in `folder`; `uri` is where it listens."""

    def __init__(self, folder: Path, *, tls_files: dict | None = None):
        self.folder = folder
        self.port = closed_port()
        self.uri = f"ldap://127.0.0.1:{self.port}"
        (folder / "data").mkdir(parents=True)
        tls = "\n".join(
            f"{name} {path}"
            for name, path in (tls_files or {}).items()  # TLSCertificateFile and the like
        )
        (folder / "slapd.conf").write_text(
            CONFIG.format(
                schemas=SCHEMAS,
                folder=folder,
                tls=tls,
                suffix=SUFFIX,
                admin_dn=ADMIN_DN,
                admin_password=ADMIN_PASSWORD,
            )
        )
        self.process = None

    def start(self) -> None:
        self.log = (self.folder / "slapd.log").open("w")
        # -d 0: in the foreground, so the process is ours to stop.
        self.process = subprocess.Popen(  # noqa: S603
            [str(SLAPD), "-f", str(self.folder / "slapd.conf"), "-h", f"{self.uri}/", "-d", "0"],
            stdout=self.log,
            stderr=subprocess.STDOUT,
        )
        self._wait_until_listening()
        for dn, attrs in BASE_ENTRIES:
            self.add(dn, attrs)

    def _wait_until_listening(self) -> None:
        deadline = time.monotonic() + 15
        while True:
            if self.process.poll() is not None:
                raise RuntimeError(
                    f"slapd stopped at start: {(self.folder / 'slapd.log').read_text()}"
                )
            try:
                self.admin().unbind_s()
                return
            except ldap.SERVER_DOWN:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.05)

    def stop(self) -> None:
        if self.process is not None:
            self.process.terminate()
            self.process.wait(timeout=10)
            self.log.close()

    def admin(self):
        connection = ldap.initialize(self.uri, bytes_mode=False)
        connection.simple_bind_s(ADMIN_DN, ADMIN_PASSWORD)
        return connection

    def add(self, dn: str, attrs: dict) -> None:
        encoded = {name: [value.encode() for value in values] for name, values in attrs.items()}
        connection = self.admin()
        try:
            connection.add_s(dn, ldap.modlist.addModlist(encoded))
        finally:
            connection.unbind_s()

    def delete(self, dn: str) -> None:
        connection = self.admin()
        try:
            connection.delete_s(dn)
        finally:
            connection.unbind_s()

    def change_members(self, group_dn: str, operation: int, member_dn: str) -> None:
        """ldap.MOD_ADD or ldap.MOD_DELETE the member."""
        connection = self.admin()
        try:
            connection.modify_s(group_dn, [(operation, "member", [member_dn.encode()])])
        finally:
            connection.unbind_s()

    def remove_folder(self) -> None:
        shutil.rmtree(self.folder, ignore_errors=True)
