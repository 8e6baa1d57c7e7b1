"""Cold start of the API function: importing ``app`` against a bare ``import boto3``.

Each figure is the median of several fresh interpreters pinned to one core, as a Lambda
container's first import would be.
"""

from __future__ import annotations

import os
import shutil
import statistics
import subprocess
import sys
from pathlib import Path

from bench.table import render

ROOT = Path(__file__).resolve().parent.parent
RUNS = int(os.environ.get("BENCH_COLD_RUNS", "15"))
TARGET = 1.3
PROBE = "import time; t = time.perf_counter(); import {module}; print(time.perf_counter() - t)"


def _import_seconds(module: str) -> float:
    command = [sys.executable, "-c", PROBE.format(module=module)]
    if shutil.which("taskset"):
        command = ["taskset", "-c", "0", *command]
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, check=True)
    return float(done.stdout.strip())


def heavy_modules() -> list[str]:
    """Modules the API must not load at import: media code and google-auth."""
    probe = (
        "import sys, app; print(' '.join(sorted(m for m in sys.modules "
        "if m.split('.')[0] in ('PIL', 'ffmpeg', 'imageio_ffmpeg') "
        "or m.startswith('google.auth'))))"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe], cwd=ROOT, capture_output=True, text=True, check=True
    )
    return done.stdout.split()


def _compile_ours() -> None:
    """Bytecode for our modules, as site-packages already has for boto3's (pip compiled it) and
    as the deployment package ships it; PYTHONDONTWRITEBYTECODE may keep imports from writing
    it, so compileall does."""
    targets = [str(ROOT / "app.py"), str(ROOT / "chalicelib")]
    subprocess.run([sys.executable, "-m", "compileall", "-q", *targets], cwd=ROOT, check=True)


def run() -> str:
    _compile_ours()
    # Warm the file cache once.
    _import_seconds("app")
    _import_seconds("boto3")
    boto3_s, app_s = [], []
    for _ in range(RUNS):
        boto3_s.append(_import_seconds("boto3"))
        app_s.append(_import_seconds("app"))
    bare, ours = statistics.median(boto3_s), statistics.median(app_s)
    ratio = ours / bare
    rows = [
        ["import boto3 (bare)", f"{bare * 1000:.0f} ms", "1.00x", ""],
        ["import app (ours)", f"{ours * 1000:.0f} ms", f"{ratio:.2f}x", f"<= {TARGET}x"],
    ]
    heavy = heavy_modules()
    note = f"heavy modules loaded at import: {', '.join(heavy) if heavy else 'none'}"
    table = render(
        f"Cold start (median of {RUNS} fresh processes, one core)",
        ["what", "time", "ratio", "target"],
        rows,
    )
    return f"{table}\n{note}"


if __name__ == "__main__":
    sys.stdout.write(run() + "\n")
