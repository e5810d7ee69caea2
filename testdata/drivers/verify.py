"""Start test-bed apps one by one and check each with testbed.py.

Usage:
    python verify.py [--python PY] [--mount PATH] [--host HOST] [APP ...]

For every APP (default: all of them) this starts ``PY testdata/apps/APP.py``
on a free port of HOST (default 127.0.0.1), waits until it serves, runs
``PY testbed.py APP URL`` with the same interpreter, stops the app by its
PID and prints one line per app: result, startup seconds, driver output.
PY defaults to the interpreter running this script. With --mount, apps are
mounted under PATH (GRADIOREC_MOUNT_PATH) and the URL includes it.
Exit status: 0 if every app passed, 1 otherwise.
"""

import argparse
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

DRIVERS = Path(__file__).resolve().parent
APPS_DIR = DRIVERS.parent / "apps"
STARTUP_TIMEOUT = 120  # seconds
DRIVER_TIMEOUT = 300  # seconds


def all_apps():
    return sorted(p.stem for p in APPS_DIR.glob("*.py")
                  if not p.name.startswith("_"))


def free_port(host):
    with socket.socket() as sock:
        sock.bind((host, 0))
        return sock.getsockname()[1]


def serving(url):
    """True once GET url answers 200 (the login page counts for auth)."""
    try:
        with urllib.request.urlopen(url, timeout=2) as response:
            return response.status == 200
    except (urllib.error.URLError, OSError):
        return False


def start_app(python, app, host, mount, log):
    port = free_port(host)
    env = dict(os.environ, GRADIO_SERVER_NAME=host,
               GRADIO_SERVER_PORT=str(port))
    env.pop("GRADIOREC_MOUNT_PATH", None)
    if mount:
        env["GRADIOREC_MOUNT_PATH"] = mount
    process = subprocess.Popen(
        [python, str(APPS_DIR / f"{app}.py")],
        env=env, stdout=log, stderr=subprocess.STDOUT,
    )
    return process, f"http://{host}:{port}{mount or ''}/"


def wait_until_serving(process, url):
    """Seconds until the app served ``url``, or None if it died or hung."""
    started = time.monotonic()
    while time.monotonic() - started < STARTUP_TIMEOUT:
        if process.poll() is not None:
            return None
        if serving(url):
            return time.monotonic() - started
        time.sleep(0.05)
    return None


def stop(process):
    """Stop the app we started, by its PID."""
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def verify(python, app, host, mount, log_dir):
    log_path = log_dir / f"{app}.log"
    with open(log_path, "wb") as log:
        process, url = start_app(python, app, host, mount, log)
        try:
            startup = wait_until_serving(process, url)
            if startup is None:
                return False, None, f"app did not start, see {log_path}"
            driver = subprocess.run(
                [python, str(DRIVERS / "testbed.py"), app, url],
                capture_output=True, text=True, timeout=DRIVER_TIMEOUT,
            )
        finally:
            stop(process)
    output = (driver.stdout + driver.stderr).strip()
    return driver.returncode == 0, startup, output


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("apps", nargs="*", metavar="APP")
    parser.add_argument("--python", default=sys.executable)
    parser.add_argument("--mount", default="")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--logs", default=None,
                        help="folder for app logs (default: a temp folder)")
    args = parser.parse_args()
    log_dir = Path(args.logs or os.path.join(
        os.environ.get("TMPDIR", "/tmp"), "gradiorec-verify"))
    log_dir.mkdir(parents=True, exist_ok=True)
    failures = 0
    for app in args.apps or all_apps():
        ok, startup, output = verify(args.python, app, args.host,
                                     args.mount, log_dir)
        failures += not ok
        seconds = f"{startup:5.2f}s" if startup is not None else "  -   "
        print(f"{'PASS' if ok else 'FAIL'} {app:20} start {seconds}  {output}",
              flush=True)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
