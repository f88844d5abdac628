"""A local Neo4j Community 5.26 for machines without Docker: provision, start, wait, stop.

Neo4j's jars come from Maven Central through Maven (``org.neo4j:neo4j`` for the
``CommunityEntryPoint`` and ``org.neo4j.app:neo4j-server``), cached under
``$CCM_GRAPH_CACHE`` (default ``~/.cache/ccm-graph``); the server runs with the machine's
Java 17 on 127.0.0.1 only. Each server has a home folder (default ``.neo4j/local``) with its
config, data, logs and a generated password (mode 600) unless ``NEO4J_PASSWORD`` is set on first
start. Used by the test suite and by ``scripts/neo4j-local``::

    scripts/neo4j-local start     # prints NEO4J_URI; the password is in .neo4j/local/password
    scripts/neo4j-local status
    scripts/neo4j-local stop
"""

from __future__ import annotations

import argparse
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

__all__ = [
    "DEFAULT_HEAP",
    "NEO4J_VERSION",
    "LocalServer",
    "PortTaken",
    "ProvisionError",
    "byte_size",
    "configured_port",
    "default_heap",
    "install",
]

NEO4J_VERSION = os.environ.get("CCM_NEO4J_VERSION", "5.26.30")
"""The Neo4j 5.26 LTS patch release provisioned from Maven Central."""

_POM = """<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>local.ccm-graph</groupId>
  <artifactId>neo4j-runtime</artifactId>
  <version>1</version>
  <packaging>pom</packaging>
  <dependencies>
    <dependency>
      <groupId>org.neo4j</groupId><artifactId>neo4j</artifactId><version>{v}</version>
    </dependency>
    <dependency>
      <groupId>org.neo4j.app</groupId><artifactId>neo4j-server</artifactId><version>{v}</version>
    </dependency>
  </dependencies>
</project>
"""

_JVM_OPTIONS = [
    "-XX:+UseG1GC",
    "-XX:-OmitStackTraceInFastThrow",
    "-XX:+DisableExplicitGC",
    "-Djdk.nio.maxCachedBufferSize=1024",
    "-Dio.netty.tryReflectionSetAccessible=true",
    "-Dlog4j2.disable.jmx=true",
    "--add-opens=java.base/java.nio=ALL-UNNAMED",
    "--add-opens=java.base/java.io=ALL-UNNAMED",
    "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED",
    "--add-opens=java.base/java.lang=ALL-UNNAMED",
]


def default_heap(total_memory: int | None = None) -> str:
    """The local server's heap unless ``--heap``/``CCM_NEO4J_HEAP`` says otherwise: 6 GB, or
    40% of the machine's memory where that is less (at least 1 GB).

    A load is one transaction, and the transaction's state lives on the heap: a 50k-actor /
    500k-relation load holds about 2.1 GB. With 6 GB the garbage collector has room to spare
    and that load took 32-37 s, against 44-45 s with 4 GB (docs/performance.md); a machine
    with less memory gets a smaller heap, and with it a smaller largest load (75% of the heap
    goes to transactions, see :attr:`LocalServer.tx_memory`).

    >>> default_heap(24 * 2**30), default_heap(8 * 2**30), default_heap(2 * 2**30)
    ('6g', '3276m', '1g')
    """
    if total_memory is None:
        try:
            total_memory = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
        except (AttributeError, ValueError, OSError):  # not a POSIX system that says
            return "4g"
    mib = min(6 * 1024, max(1024, int(total_memory * 0.4) // 2**20))
    return f"{mib // 1024}g" if mib % 1024 == 0 else f"{mib}m"


DEFAULT_HEAP = os.environ.get("CCM_NEO4J_HEAP") or default_heap()
"""The local server's heap unless ``--heap`` says otherwise: ``CCM_NEO4J_HEAP``, else
:func:`default_heap`."""


def byte_size(text: str) -> int:
    """Bytes in a JVM-style size: ``4g``, ``512m``, ``1024k`` or a plain number.

    >>> byte_size("4g"), byte_size("512M"), byte_size("1024")
    (4294967296, 536870912, 1024)
    """
    value = text.strip().lower()
    scale = {"k": 2**10, "m": 2**20, "g": 2**30, "t": 2**40}.get(value[-1:], 1)
    digits = value[:-1] if scale > 1 else value
    if not digits.isdigit():
        raise ValueError(f"{text!r} is not a memory size like 4g or 512m")
    return int(digits) * scale


class ProvisionError(RuntimeError):
    """Neo4j could not be downloaded, started or reached."""


class PortTaken(ProvisionError):
    """The server's port is in use by another program (``port`` names it)."""

    def __init__(self, port: int) -> None:
        super().__init__(f"port {port} on 127.0.0.1 is taken by another program; choose another")
        self.port = port


def cache_dir() -> Path:
    """Where downloaded jars are kept between runs."""
    base = os.environ.get("CCM_GRAPH_CACHE") or Path.home() / ".cache" / "ccm-graph"
    return Path(base)


def install(version: str = NEO4J_VERSION, *, quiet: bool = False) -> Path:
    """Fetch Neo4j Community ``version`` and its dependencies from Maven Central (once).

    :returns: the folder of jars.
    :raises ProvisionError: when Java or Maven is missing or the download fails.
    """
    target = cache_dir() / f"neo4j-{version}"
    lib = target / "lib"
    if (lib / f"neo4j-{version}.jar").is_file():
        return lib
    for tool in ("java", "mvn"):
        if shutil.which(tool) is None:
            raise ProvisionError(
                f"'{tool}' is not installed: the local Neo4j needs Java 17 and Maven "
                "(or use docker compose, or point NEO4J_URI at an existing server)"
            )
    target.mkdir(parents=True, exist_ok=True)
    (target / "pom.xml").write_text(_POM.format(v=version), encoding="utf-8")
    staging = target / "lib.partial"
    shutil.rmtree(staging, ignore_errors=True)
    if not quiet:
        print(f"downloading Neo4j {version} from Maven Central (once) …", file=sys.stderr)
    command = [
        "mvn",
        "-q",
        "-B",
        "-f",
        str(target / "pom.xml"),
        "dependency:copy-dependencies",
        f"-DoutputDirectory={staging}",
    ]
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise ProvisionError(
            f"Maven could not fetch Neo4j {version}:\n{(done.stdout + done.stderr)[-2000:]}"
        )
    shutil.rmtree(lib, ignore_errors=True)
    staging.rename(lib)
    return lib


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _port_open(port: int) -> bool:
    with socket.socket() as sock:
        sock.settimeout(0.5)
        return sock.connect_ex(("127.0.0.1", port)) == 0


@dataclass
class LocalServer:
    """One local Neo4j: its home folder, Bolt port and password."""

    home: Path = field(default_factory=lambda: Path(".neo4j") / "local")
    port: int = 7687
    heap: str = DEFAULT_HEAP
    """The JVM heap (``-Xms`` = ``-Xmx``), :func:`default_heap` unless given: 6 GB holds a
    50k-actor/500k-relation load in its one transaction (about 2.1 GiB of transaction state)
    with room for the garbage collector."""
    pagecache: str = "512m"
    tx_memory: str | None = None
    """``db.memory.transaction.total.max``: the memory all open transactions may use together.
    ``None`` (the default) gives them 75% of the heap: a load larger than that is refused
    cleanly (rolled back, one line naming this setting) instead of exhausting the heap, which
    is what ``0`` (no limit) risks."""
    version: str = NEO4J_VERSION

    @property
    def transaction_memory(self) -> str:
        """The ``db.memory.transaction.total.max`` written into the config (see ``tx_memory``).

        >>> LocalServer(heap="4g").transaction_memory
        '3072m'
        >>> LocalServer(heap="1g", tx_memory="10m").transaction_memory
        '10m'
        """
        if self.tx_memory is not None:
            return self.tx_memory
        return f"{byte_size(self.heap) * 3 // 4 // 2**20}m"

    @property
    def uri(self) -> str:
        return f"bolt://127.0.0.1:{self.port}"

    @property
    def password_file(self) -> Path:
        return self.home / "password"

    @property
    def log_file(self) -> Path:
        return self.home / "logs" / "console.log"

    @property
    def pid_file(self) -> Path:
        return self.home / "run" / "neo4j.pid"

    def password(self) -> str:
        """The password of the ``neo4j`` user (set on first start)."""
        return self.password_file.read_text(encoding="utf-8").strip()

    def pid(self) -> int | None:
        """The server's process id if it is running."""
        try:
            pid = int(self.pid_file.read_text().strip())
            os.kill(pid, 0)
        except (FileNotFoundError, ValueError, ProcessLookupError, PermissionError):
            return None
        return pid

    def _write_config(self) -> Path:
        conf = self.home / "conf"
        conf.mkdir(parents=True, exist_ok=True)
        for sub in ("data", "logs", "run", "plugins", "import"):
            (self.home / sub).mkdir(parents=True, exist_ok=True)
        (conf / "neo4j.conf").write_text(
            "\n".join(
                [
                    "# written by ccm_graph.localserver; loopback only",
                    "server.default_listen_address=127.0.0.1",
                    f"server.bolt.listen_address=127.0.0.1:{self.port}",
                    "server.bolt.advertised_address=127.0.0.1:" + str(self.port),
                    "server.http.enabled=false",
                    "server.https.enabled=false",
                    "dbms.security.auth_enabled=true",
                    f"server.memory.pagecache.size={self.pagecache}",
                    f"db.memory.transaction.total.max={self.transaction_memory}",
                    f"server.directories.import={(self.home / 'import').resolve()}",
                    "dbms.usage_report.enabled=false",
                    "db.tx_log.rotation.retention_policy=1 files",
                    "",
                ]
            ),
            encoding="utf-8",
        )
        return conf

    def _environment(self, conf: Path) -> dict[str, str]:
        env = dict(os.environ)
        env["NEO4J_HOME"] = str(self.home.resolve())
        env["NEO4J_CONF"] = str(conf.resolve())
        return env

    def _set_initial_password(self, password: str, classpath: str, env: dict[str, str]) -> None:
        """Give the ``neo4j`` user its first password (before the first start) and keep it in
        :attr:`password_file`. ``--`` ends the tool's options, so a password that starts with
        ``-`` (one generated password in 64 does) is a password, not an unknown option.

        :raises ProvisionError: the password is too short, or the tool refused it.
        """
        if len(password) < 8:
            raise ProvisionError("NEO4J_PASSWORD must be at least 8 characters for Neo4j")
        done = subprocess.run(
            ["java", "-cp", classpath, "org.neo4j.cli.AdminTool", "dbms",
             "set-initial-password", "--", password],
            env=env, capture_output=True, text=True, check=False,
        )  # fmt: skip
        if done.returncode != 0:
            raise ProvisionError(f"could not set the initial password: {done.stderr[-1000:]}")
        self.password_file.write_text(password + "\n", encoding="utf-8")
        self.password_file.chmod(0o600)

    def start(self, *, timeout: float = 180.0) -> LocalServer:
        """Provision if needed, start the server, and wait until Bolt accepts our password.

        :raises ProvisionError: with the tail of the server log when it does not come up.
        """
        if self.pid() is not None and _port_open(self.port):
            return self
        if _port_open(self.port):
            raise PortTaken(self.port)
        lib = install(self.version)
        self.home.mkdir(parents=True, exist_ok=True)
        conf = self._write_config()
        env = self._environment(conf)
        classpath = f"{lib.resolve()}/*"
        if (
            not (self.home / "data" / "dbms" / "auth.ini").exists()
            and not (self.home / "data" / "databases" / "system").exists()
        ):
            password = os.environ.get("NEO4J_PASSWORD") or secrets.token_urlsafe(18)
            self._set_initial_password(password, classpath, env)
        elif not self.password_file.exists():
            raise ProvisionError(
                f"{self.home} holds a database but no password file; "
                f"delete {self.home} to start afresh"
            )
        command = [
            "java",
            f"-Xms{self.heap}",
            f"-Xmx{self.heap}",
            *_JVM_OPTIONS,
            "-cp",
            classpath,
            "org.neo4j.server.CommunityEntryPoint",
            f"--home-dir={self.home.resolve()}",
            f"--config-dir={conf.resolve()}",
        ]
        with self.log_file.open("ab") as log:
            process = subprocess.Popen(
                command,
                stdout=log,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
                env=env,
                start_new_session=True,
            )
        self.pid_file.write_text(str(process.pid))
        self.wait(timeout=timeout, process=process)
        return self

    def wait(self, *, timeout: float = 180.0, process: subprocess.Popen | None = None) -> None:
        """Poll until the server answers ``RETURN 1`` over Bolt with our password."""
        import neo4j

        deadline = time.monotonic() + timeout
        last_error: Exception | None = None
        while time.monotonic() < deadline:
            if process is not None and process.poll() is not None:
                raise ProvisionError(
                    f"Neo4j exited with code {process.returncode}:\n{self.log_tail()}"
                )
            if _port_open(self.port):
                try:
                    with neo4j.GraphDatabase.driver(
                        self.uri, auth=("neo4j", self.password()), connection_timeout=2
                    ) as driver:
                        driver.execute_query("RETURN 1", database_="neo4j")
                    return
                except Exception as exc:  # still starting: keep polling, report the last one
                    last_error = exc
            time.sleep(0.5)
        raise ProvisionError(
            f"Neo4j did not answer on {self.uri} within {timeout:.0f}s "
            f"(last error: {last_error}):\n{self.log_tail()}"
        )

    def log_tail(self, lines: int = 30) -> str:
        """The end of the server's console log."""
        try:
            text = self.log_file.read_text(encoding="utf-8", errors="replace")
        except FileNotFoundError:
            return "(no log)"
        return "\n".join(text.splitlines()[-lines:])

    def stop(self, *, timeout: float = 60.0) -> bool:
        """Stop the server; returns whether one was running."""
        pid = self.pid()
        if pid is None:
            return False
        os.kill(pid, signal.SIGTERM)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                os.kill(pid, 0)
            except ProcessLookupError:
                break
            _reap(pid)
            time.sleep(0.2)
        else:
            os.kill(pid, signal.SIGKILL)
        self.pid_file.unlink(missing_ok=True)
        return True


def _reap(pid: int) -> None:
    try:
        os.waitpid(pid, os.WNOHANG)
    except ChildProcessError:
        return


def configured_port(home: Path) -> int | None:
    """The Bolt port a home was last started on (its ``conf/neo4j.conf``), if any: status,
    stop and log of ``--home X`` look where that server listens."""
    try:
        text = (home / "conf" / "neo4j.conf").read_text(encoding="utf-8")
    except OSError:
        return None
    for line in text.splitlines():
        key, _, value = line.partition("=")
        if key.strip() == "server.bolt.listen_address":
            port = value.rpartition(":")[2].strip()
            return int(port) if port.isdigit() else None
    return None


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="neo4j-local", description="Run a local Neo4j Community 5.26 for ccm-graph."
    )
    parser.add_argument("action", choices=["install", "start", "stop", "status", "log"])
    parser.add_argument("--home", default=os.environ.get("CCM_NEO4J_HOME", ".neo4j/local"))
    parser.add_argument(
        "--port", type=int, default=None,
        help="Bolt port [default: the home's own (from its conf), else $CCM_NEO4J_PORT, else 7687]",
    )  # fmt: skip
    parser.add_argument("--heap", default=DEFAULT_HEAP)
    args = parser.parse_args(argv)
    home = Path(args.home)
    port = args.port or configured_port(home) or int(os.environ.get("CCM_NEO4J_PORT", 7687))
    server = LocalServer(home=home, port=port, heap=args.heap)
    try:
        if args.action == "install":
            print(install())
        elif args.action == "start":
            server.start()
            print(f"Neo4j {server.version} is running at {server.uri} (user neo4j).")
            print(f"export NEO4J_URI={server.uri}")
            print(f'export NEO4J_PASSWORD="$(cat {server.password_file})"')
        elif args.action == "stop":
            print("stopped" if server.stop() else "not running")
        elif args.action == "status":
            running = server.pid() is not None and _port_open(server.port)
            print(f"running at {server.uri}" if running else "not running")
            return 0 if running else 1
        elif args.action == "log":
            print(server.log_tail(100))
    except PortTaken as exc:
        print(f"neo4j-local: {exc} with --port (or CCM_NEO4J_PORT)", file=sys.stderr)
        return 1
    except ProvisionError as exc:
        print(f"neo4j-local: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
