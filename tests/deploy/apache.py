"""A real Apache httpd (Debian's apache2, mod_rewrite) on loopback, as w3id.org runs it.

The server reads a folder's ``.htaccess`` exactly as w3id.org does (``AllowOverride All``), from
a folder served under ``/{name}/``. Nothing of the system's own configuration is used: the test
writes a minimal ``httpd.conf`` into its own folder and starts ``apache2 -DFOREGROUND``.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

import httpx

APACHE = shutil.which("apache2") or (
    "/usr/sbin/apache2" if Path("/usr/sbin/apache2").exists() else None)
MODULES = Path("/usr/lib/apache2/modules")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


@dataclass
class Apache:
    url: str
    process: subprocess.Popen[bytes]
    root: Path

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


def start_apache(root: Path, folder: str, htaccess: str) -> Apache:
    """Serve ``root/www/{folder}/.htaccess`` under ``/{folder}/`` on a free loopback port.

    Started as root, httpd serves as ``www-data`` (it refuses to serve as root), so ``root``
    and the files must be readable by others: pass a folder made with mode 0755, not pytest's
    private tmp_path."""
    assert APACHE is not None
    www = root / "www" / folder
    www.mkdir(parents=True)
    (www / ".htaccess").write_text(htaccess, encoding="utf-8")
    for path in (root, root / "www", www):
        path.chmod(0o755)
    (www / ".htaccess").chmod(0o644)
    port = free_port()
    conf = root / "httpd.conf"
    modules = ["mpm_event", "authz_core", "alias", "rewrite", "dir"]
    conf.write_text("\n".join([
        *(f"LoadModule {m}_module {MODULES}/mod_{m}.so" for m in modules
          if (MODULES / f"mod_{m}.so").exists()),
        f"ServerRoot {root}",
        *(["User www-data", "Group www-data"] if os.geteuid() == 0 else []),
        f"Listen 127.0.0.1:{port}",
        "ServerName 127.0.0.1",
        f"PidFile {root}/httpd.pid",
        f"ErrorLog {root}/error.log",
        "LogLevel warn rewrite:trace2",
        f"DocumentRoot {root}/www",
        f'<Directory "{root}/www">',
        "  AllowOverride All",
        "  Require all granted",
        "</Directory>",
        "",
    ]))
    proc = subprocess.Popen([APACHE, "-f", str(conf), "-DFOREGROUND"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            log = (root / "error.log").read_text() if (root / "error.log").exists() else ""
            raise RuntimeError(f"apache2 exited with {proc.returncode}: {log}")
        try:
            httpx.get(url + "/", timeout=1)
            return Apache(url, proc, root)
        except httpx.TransportError:
            time.sleep(0.1)
    proc.kill()
    raise RuntimeError("apache2 did not start within 20 s")
