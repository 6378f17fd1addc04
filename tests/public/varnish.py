"""A real Varnish (Debian's `varnish` package) in front of a test's site, with the repository's VCL."""

import contextlib
import re
import shutil
import socket
import subprocess
import tempfile
import time
from pathlib import Path

VCL = Path(__file__).resolve().parents[2] / "deploy" / "varnish" / "default.vcl"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def vcl_for(backend_port: int) -> str:
    """The repository's VCL with the site's port in place of gunicorn's usual one."""
    text, count = re.subn(r'\.port = "\d+";', f'.port = "{backend_port}";', VCL.read_text(), count=1)
    assert count == 1, "deploy/varnish/default.vcl names no backend port"
    return text


def _answering(port, process, seconds=20):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            return False
        with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), timeout=0.2):
            return True
        time.sleep(0.1)
    return False


@contextlib.contextmanager
def running_varnish(backend_port: int, memory="32m", keep_work=None, vcl_text=None):
    """Start varnishd on a free loopback port in front of `backend_port`; yield its address; stop it after.

    Its working folder (for varnishstat's -n) is `keep_work` when given, else one removed afterwards; its VCL is
    `vcl_text` when given (backend_port then unused), else the repository's.
    """
    varnishd = shutil.which("varnishd") or "/usr/sbin/varnishd"
    assert Path(varnishd).exists(), "varnishd is missing: apt-get install varnish (.ci/run installs it)"
    port = free_port()
    with tempfile.TemporaryDirectory(prefix="varnish-test-") as folder:
        vcl = Path(folder) / "site.vcl"
        vcl.write_text(vcl_text or vcl_for(backend_port))
        work = Path(keep_work) if keep_work else Path(folder) / "work"
        work.mkdir(parents=True, exist_ok=True)
        Path(folder).chmod(0o755)
        command = [
            varnishd,
            "-F",
            "-a",
            f"127.0.0.1:{port}",
            "-f",
            str(vcl),
            "-n",
            str(work),
            "-s",
            f"malloc,{memory}",
            "-T",
            "none",
        ]
        process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
        try:
            if not _answering(port, process):
                process.kill()
                output = process.communicate(timeout=5)[0].decode(errors="replace")
                raise RuntimeError(f"varnishd did not start:\n{output}")
            yield f"http://127.0.0.1:{port}"
        finally:
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
