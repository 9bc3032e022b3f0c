"""A throwaway PostgreSQL server on 127.0.0.1, from the machine's PostgreSQL binaries
(Debian's postgresql package; .ci/run installs it)."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from packaging.version import Version


def server_binaries() -> Path:
    """The newest PostgreSQL server's bin folder: Debian keeps them out of PATH."""
    found = sorted(
        Path("/usr/lib/postgresql").glob("*/bin/initdb"), key=lambda p: Version(p.parts[-3])
    )
    if found:
        return found[-1].parent
    if initdb := shutil.which("initdb"):
        return Path(initdb).parent
    raise RuntimeError("No PostgreSQL server here: install Debian's postgresql package")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextmanager
def postgresql_server() -> Iterator[str]:
    """Start a server in a new data folder; yield its URL; stop it and delete everything."""
    binaries = server_binaries()
    data = Path(tempfile.mkdtemp(prefix="gst-postgres-"))
    # PostgreSQL refuses to run as root; as root, run it as the postgres user.
    as_postgres = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
    if as_postgres:
        shutil.chown(data, "postgres")
    port = free_port()
    options = f"-p {port} -k {data} -c listen_addresses=127.0.0.1 -c max_connections=200"

    def pg(*command: str) -> None:
        subprocess.run([*as_postgres, *command], check=True, capture_output=True)

    pg(
        str(binaries / "initdb"),
        "-D",
        str(data / "db"),
        "--auth=trust",
        "-U",
        "postgres",
        "-E",
        "UTF8",
    )
    pg(
        str(binaries / "pg_ctl"),
        "-D",
        str(data / "db"),
        "-o",
        options,
        "-l",
        str(data / "log"),
        "-w",
        "start",
    )
    try:
        yield f"postgresql://postgres@127.0.0.1:{port}/postgres"
    finally:
        pg(str(binaries / "pg_ctl"), "-D", str(data / "db"), "-m", "fast", "-w", "stop")
        shutil.rmtree(data, ignore_errors=True)
