"""A throw-away PostgreSQL cluster: initdb in a temporary folder, pg_ctl.

The benchmark measures the shared store on one when it is given no server,
and the tests run on one: `.ci/run` starts it with ``python -m tests.pgserver
start FOLDER`` (that module names this one's) and passes its address to the
tests in ``KUSHIRO_TEST_POSTGRES``; without it, the test session starts its own
the same way (where PostgreSQL's programs are installed). PostgreSQL refuses
to run as root, so as root the cluster runs as the ``postgres`` account the
Debian package makes.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import tempfile
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

ADMIN = "kushiro_admin"  # the cluster's superuser, owner of the test databases


@dataclass(frozen=True)
class Cluster:
    folder: Path
    port: int
    os_user: str  # "" when the cluster runs as the current user

    @property
    def url(self) -> str:
        return f"postgresql://{ADMIN}@127.0.0.1:{self.port}/postgres"

    @property
    def data(self) -> Path:
        return self.folder / "data"

    def pg_ctl(self, *args: str) -> None:
        _run(self.os_user, bin_dir() / "pg_ctl", "-D", str(self.data), "-w", *args)

    def start(self) -> None:
        self.pg_ctl("-l", str(self.folder / "server.log"), "start")

    def stop(self) -> None:
        self.pg_ctl("-m", "fast", "stop")

    def restart(self) -> None:
        self.pg_ctl("-m", "fast", "-l", str(self.folder / "server.log"), "restart")


def bin_dir() -> Path:
    """Where initdb and pg_ctl are (Debian keeps them out of PATH)."""
    found = shutil.which("pg_config")
    if found:
        path = subprocess.run([found, "--bindir"], capture_output=True, text=True, check=False)
        candidate = Path(path.stdout.strip())
        if (candidate / "initdb").exists():
            return candidate
    for folder in sorted(Path("/usr/lib/postgresql").glob("*/bin"), reverse=True):
        if (folder / "initdb").exists():
            return folder
    initdb = shutil.which("initdb")
    if initdb:
        return Path(initdb).resolve().parent
    raise FileNotFoundError("PostgreSQL's initdb is not installed")


class ClusterError(RuntimeError):
    """initdb or pg_ctl failed; the message holds what it printed."""


def _run(os_user: str, *command: object) -> None:
    argv = [str(part) for part in command]
    if os_user:
        argv = ["runuser", "-u", os_user, "--", *argv]
    done = subprocess.run(argv, check=False, capture_output=True, text=True)
    if done.returncode:
        raise ClusterError(f"{' '.join(argv)}: {done.stderr.strip() or done.stdout.strip()}")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def write_certificates(cluster: Cluster) -> None:
    """A certificate authority of the cluster's own (``root.crt`` in its folder) and the
    server's certificate for 127.0.0.1 and localhost signed by it, in the data folder."""
    import datetime
    import ipaddress

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    now = datetime.datetime.now(datetime.UTC)
    start, end = now - datetime.timedelta(days=1), now + datetime.timedelta(days=30)

    def name(text: str) -> x509.Name:
        return x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, text)])

    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca = (
        x509.CertificateBuilder()
        .subject_name(name("kushiro test CA"))
        .issuer_name(name("kushiro test CA"))
        .public_key(ca_key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(start)
        .not_valid_after(end)
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(ca_key, hashes.SHA256())
    )
    key = ec.generate_private_key(ec.SECP256R1())
    names = [x509.DNSName("localhost"), x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name("127.0.0.1"))
        .issuer_name(ca.subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(start)
        .not_valid_after(end)
        .add_extension(x509.SubjectAlternativeName(names), critical=False)
        .sign(ca_key, hashes.SHA256())
    )
    pem = serialization.Encoding.PEM
    (cluster.folder / "root.crt").write_bytes(ca.public_bytes(pem))
    (cluster.data / "server.crt").write_bytes(certificate.public_bytes(pem))
    server_key = cluster.data / "server.key"
    server_key.write_bytes(
        key.private_bytes(pem, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    )
    server_key.chmod(0o600)  # the server refuses a key others can read
    if cluster.os_user:
        for path in (server_key, cluster.data / "server.crt", cluster.folder / "root.crt"):
            shutil.chown(path, cluster.os_user, cluster.os_user)


def create(
    folder: Path,
    *,
    durable: bool = False,
    tls: bool | tuple[Path, Path] = False,
    hba: Sequence[str] = (),
) -> Cluster:
    """A new cluster in ``folder`` (made, owned by the account that runs it), started.

    The tests' cluster skips flushing to disk (``fsync = off``); a ``durable`` one
    commits as an office's server does, which is what the benchmark measures. A
    ``tls`` one takes only TLS connections over the network, with a certificate for
    127.0.0.1 that ``root.crt`` in ``folder`` verifies (``sslmode=verify-full``);
    given as (a certificate, its key) it takes those and leaves the rules as they are.
    ``hba`` lines come before the cluster's own trust lines in pg_hba.conf (a login that
    must give a password).
    """
    os_user = "postgres" if os.geteuid() == 0 else ""
    folder.mkdir(parents=True, exist_ok=True)
    if os_user:
        shutil.chown(folder, os_user, os_user)
        folder.chmod(0o700)
    cluster = Cluster(folder, free_port(), os_user)
    _run(
        os_user,
        bin_dir() / "initdb",
        "-D",
        cluster.data,
        "-U",
        ADMIN,
        "--auth=trust",
        "--encoding=UTF8",
        "--locale=C",
        "--no-sync",
    )
    with (cluster.data / "postgresql.conf").open("a", encoding="utf-8") as conf:
        conf.write(
            f"port = {cluster.port}\nlisten_addresses = '127.0.0.1'\n"
            f"unix_socket_directories = '{folder}'\n"
            "max_connections = 200\nlog_min_messages = warning\n"
            + ("" if durable else "fsync = off\n")
            + ("ssl = on\n" if tls is True else "")
        )
    if isinstance(tls, tuple):
        _use_tls(cluster, *tls)
    elif tls:
        write_certificates(cluster)
        # Over the network only TLS: a connection that works went through it.
        (cluster.data / "pg_hba.conf").write_text(
            "local all all trust\nhostssl all all 127.0.0.1/32 trust\n", encoding="utf-8"
        )
    if hba:
        rules = cluster.data / "pg_hba.conf"
        rules.write_text("\n".join(hba) + "\n" + rules.read_text(encoding="utf-8"), "utf-8")
    cluster.start()
    return cluster


def _use_tls(cluster: Cluster, certificate: Path, key: Path) -> None:
    """The server's certificate and key in its data folder (the key its account's own)."""
    for source, name in ((certificate, "server.crt"), (key, "server.key")):
        target = cluster.data / name
        shutil.copyfile(source, target)
        target.chmod(0o600)
        if cluster.os_user:
            shutil.chown(target, cluster.os_user, cluster.os_user)
    with (cluster.data / "postgresql.conf").open("a", encoding="utf-8") as conf:
        conf.write("ssl = on\nssl_cert_file = 'server.crt'\nssl_key_file = 'server.key'\n")


@contextmanager
def throwaway(*, durable: bool = False, tls: bool = False) -> Iterator[Cluster]:
    """A cluster for the time of a ``with`` block, stopped and removed after it."""
    # Not under a test's folder: the account the server runs as must reach it.
    folder = Path(tempfile.mkdtemp(prefix="kushiro-pg-"))
    try:
        cluster = create(folder, durable=durable, tls=tls)
        try:
            yield cluster
        finally:
            cluster.stop()
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def describe(cluster: Cluster) -> dict[str, str]:
    """The environment the tests find a running cluster by."""
    return {
        "KUSHIRO_TEST_POSTGRES": cluster.url,
        "KUSHIRO_TEST_PGFOLDER": str(cluster.folder),
        "KUSHIRO_TEST_PGPORT": str(cluster.port),
        "KUSHIRO_TEST_PGUSER": cluster.os_user,
    }


def from_environment() -> Cluster | None:
    """The cluster `.ci/run` started, if it did."""
    if not os.environ.get("KUSHIRO_TEST_POSTGRES"):
        return None
    return Cluster(
        Path(os.environ["KUSHIRO_TEST_PGFOLDER"]),
        int(os.environ["KUSHIRO_TEST_PGPORT"]),
        os.environ.get("KUSHIRO_TEST_PGUSER", ""),
    )


def main(argv: list[str]) -> int:
    command, folder = argv[0], Path(argv[1])
    if command == "start":
        for key, value in describe(create(folder)).items():
            print(f"export {key}={value}")
        return 0
    if command == "stop":
        cluster = from_environment()
        if cluster is not None:
            cluster.stop()
        return 0
    raise SystemExit(f"unknown command {command}")


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
