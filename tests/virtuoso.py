"""A throwaway Virtuoso 7 on 127.0.0.1, for the remote-store tests and `make bench-scale`.

The Debian package ``virtuoso-opensource`` installs the server but, in containers, its service
never starts (a policy-rc.d blocks it), and its stock ini listens on every interface on fixed
ports. So we start ``virtuoso-t +foreground`` ourselves, with a generated ``virtuoso.ini``
whose database, ports (free ones, bound to 127.0.0.1) and ``DirsAllowed`` (the dump folders the
bulk loader may read) are ours, and stop it by its own pid. The dba password is changed to a
random one at start, so the tests also prove that vestlod reads credentials from the
environment and never prints them.
"""

from __future__ import annotations

import secrets
import shutil
import signal
import socket
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

import httpx

VIRTUOSO = "virtuoso-t"
ISQL = "isql-vt"
VAD_DIR = "/usr/share/virtuoso-opensource-7/vad"


def available() -> str | None:
    """``None`` when Virtuoso can be started here, else the reason it cannot (for a skip)."""
    missing = [b for b in (VIRTUOSO, ISQL) if shutil.which(b) is None]
    if missing:
        return (
            f"{' and '.join(missing)} not found: install the Debian package "
            "virtuoso-opensource (.ci/run does it where apt is available)"
        )
    return None


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


INI = """[Database]
DatabaseFile = {db}/virtuoso.db
ErrorLogFile = {db}/virtuoso.log
LockFile = {db}/virtuoso.lck
TransactionFile = {db}/virtuoso.trx
xa_persistent_file = {db}/virtuoso.pxa
ErrorLogLevel = 7
FileExtend = 200
MaxCheckpointRemap = 2000
Striping = 0
TempStorage = TempDatabase

[TempDatabase]
DatabaseFile = {db}/virtuoso-temp.db
TransactionFile = {db}/virtuoso-temp.trx
MaxCheckpointRemap = 2000
Striping = 0

[Parameters]
ServerPort = 127.0.0.1:{sql_port}
LiteMode = 0
DisableUnixSocket = 1
DisableTcpSocket = 0
MaxClientConnections = 20
CheckpointInterval = 60
O_DIRECT = 0
CaseMode = 2
MaxStaticCursorRows = 5000
CheckpointAuditTrail = 0
AllowOSCalls = 0
SchedulerInterval = 10
DirsAllowed = ., {dirs}
ThreadCleanupInterval = 0
ThreadThreshold = 10
ResourcesCleanupInterval = 0
FreeTextBatchSize = 100000
SingleCPU = 0
VADInstallDir = {vad}/
PrefixResultNames = 0
RdfFreeTextRulesSize = 100
IndexTreeMaps = 64
MaxQueryMem = 2G
VectorSize = 1000
MaxVectorSize = 1000000
AdjustVectorSize = 0
ThreadsPerQuery = 4
AsyncQueueMaxThreads = 10
NumberOfBuffers = {buffers}
MaxDirtyBuffers = {dirty}
; `vestlod load` switches graphs in one transaction; at 1M triples its log image is ~200 MB
TransactionAfterImageLimit = 1500000000

[HTTPServer]
ServerPort = 127.0.0.1:{http_port}
ServerRoot = {db}/vsp
MaxClientConnections = 20
DavRoot = DAV
EnabledDavVSP = 0
HTTPProxyEnabled = 0
TempASPXDir = 0
ServerThreads = 20
MaxKeepAlives = 20
KeepAliveTimeout = 10
MaxCachedProxyConnections = 10
ProxyConnectionCacheTimeout = 15
HTTPThreadSize = 280000
HttpPrintWarningsInOutput = 0
Charset = UTF-8
EnabledGzipContent = 0

[AutoRepair]
BadParentLinks = 0

[Client]
SQL_PREFETCH_ROWS = 100
SQL_PREFETCH_BYTES = 16000
SQL_QUERY_TIMEOUT = 0
SQL_TXN_TIMEOUT = 0

[SPARQL]
ResultSetMaxRows = 1000000
MaxQueryCostEstimationTime = 400
MaxQueryExecutionTime = 60
DeferInferenceRulesInit = 0
"""


@dataclass
class Virtuoso:
    """A running server: its endpoints, the dba password, and how to stop it."""

    root: Path
    sql_port: int
    http_port: int
    password: str
    process: subprocess.Popen[bytes]

    @property
    def sparql(self) -> str:
        return f"http://127.0.0.1:{self.http_port}/sparql"

    @property
    def update(self) -> str:
        """The SPARQL endpoint that accepts updates with digest authentication."""
        return f"http://127.0.0.1:{self.http_port}/sparql-auth"

    @property
    def graph_store(self) -> str:
        """The SPARQL 1.1 Graph Store Protocol endpoint with digest authentication."""
        return f"http://127.0.0.1:{self.http_port}/sparql-graph-crud-auth"

    def env(self) -> dict[str, str]:
        """The VESTLOD_* variables that point vestlod at this server."""
        return {
            "VESTLOD_STORE_URL": self.sparql,
            "VESTLOD_STORE_UPDATE_URL": self.update,
            "VESTLOD_STORE_GRAPH_STORE_URL": self.graph_store,
            "VESTLOD_STORE_USER": "dba",
            "VESTLOD_STORE_PASSWORD": self.password,
        }

    def isql(self, sql: str, timeout: float = 600) -> str:
        """Run SQL statements through isql-vt; raise with Virtuoso's message on an error."""
        out = subprocess.run(
            [ISQL, f"127.0.0.1:{self.sql_port}", "dba", self.password, "VERBOSE=OFF",
             "BANNER=OFF", "PROMPT=OFF", "ECHO=OFF", "ERRORS=stdout"],
            input=sql.encode("utf-8"), capture_output=True, timeout=timeout, check=False,
        )
        text = out.stdout.decode("utf-8", "replace")
        if out.returncode != 0 or "*** Error" in text:
            raise RuntimeError(f"isql failed: {text.strip()[-2000:]}")
        return text

    def rss_mb(self) -> float:
        for line in Path(f"/proc/{self.process.pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
        return 0.0

    def disk_bytes(self) -> int:
        return sum(p.stat().st_size for p in (self.root / "db").glob("virtuoso*.db"))

    def stop(self) -> None:
        """Checkpoint-free shutdown of *our* process only (the data is thrown away anyway)."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


def start(root: Path, dirs_allowed: tuple[Path, ...] = (), memory_mb: int = 512,
          timeout: float = 60) -> Virtuoso:
    """Create a database under ``root`` and start Virtuoso on free 127.0.0.1 ports.

    ``memory_mb`` sizes the buffer pool (8 KiB pages; the stock ini's 10 000 buffers are 80 MB).
    Returns when the SPARQL endpoint answers and the dba password has been changed.
    """
    db = root / "db"
    (db / "vsp").mkdir(parents=True, exist_ok=True)
    sql_port, http_port = free_port(), free_port()
    buffers = max(memory_mb * 1024 // 8 * 2 // 3, 10_000)
    ini = root / "virtuoso.ini"
    ini.write_text(INI.format(
        db=db, sql_port=sql_port, http_port=http_port, vad=VAD_DIR,
        dirs=", ".join(str(d) for d in (*dirs_allowed, VAD_DIR)),
        buffers=buffers, dirty=buffers * 3 // 4,
    ))
    log = (root / "virtuoso.out").open("wb")
    process = subprocess.Popen(
        [VIRTUOSO, "+foreground", "+configfile", str(ini)],
        cwd=db, stdout=log, stderr=subprocess.STDOUT,
    )
    log.close()
    server = Virtuoso(root, sql_port, http_port, "dba", process)
    deadline = time.monotonic() + timeout
    while True:
        if process.poll() is not None:
            raise RuntimeError(f"virtuoso-t exited: {(root / 'virtuoso.out').read_text()[-2000:]}")
        try:
            if httpx.get(server.sparql, params={"query": "ASK {}"}, timeout=2).status_code == 200:
                break
        except httpx.TransportError:
            pass
        if time.monotonic() > deadline:
            server.stop()
            raise RuntimeError(f"Virtuoso did not answer within {timeout:g} s")
        time.sleep(0.2)
    password = "v" + secrets.token_hex(12)  # isql takes it unquoted: an identifier
    try:
        server.isql(f"set password dba {password};\n")
    except BaseException:
        server.stop()
        raise
    server.password = password
    return server


def bulk_load(server: Virtuoso, folder: Path, pattern: str, graph: str) -> None:
    """The store's own bulk loader (``ld_dir`` + ``rdf_loader_run`` + ``checkpoint``).

    Reads files server-side, so ``folder`` must be in ``DirsAllowed``; much faster than HTTP
    for millions of triples. Used by the scale bench to compare loaders.
    """
    server.isql(
        f"ld_dir('{folder}', '{pattern}', '{graph}');\n"
        "rdf_loader_run();\n"
        "checkpoint;\n"
    )
    errors = server.isql("select ll_file, ll_error from DB.DBA.LOAD_LIST "
                         "where ll_error is not null;\n")
    if errors.strip():
        raise RuntimeError(f"bulk load errors: {errors.strip()}")
