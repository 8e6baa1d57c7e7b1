"""The web app's production bundle: what a browser downloads on a first visit.

Ours is ``frontend/dist`` as ``make`` builds it (Vite: tree-shaken and minified). The naive way
is the same sources built without minification (``vite build --minify false``), in the same
run. Both are measured as a CDN serves them, gzip-compressed (level 9), and only the files that
``index.html`` loads count (source maps are fetched by developer tools alone).
"""

from __future__ import annotations

import gzip
import re
import subprocess
import tempfile
from pathlib import Path

from bench.table import render

ROOT = Path(__file__).resolve().parent.parent
FRONTEND = ROOT / "frontend"
TARGET_JS_GZIP = 250 * 1024
_LOADED = re.compile(r'(?:src|href)="/?(assets/[^"]+\.(?:js|css))"')


def loaded(dist: Path) -> dict[str, list[Path]]:
    """The JavaScript and CSS files ``index.html`` loads, by kind."""
    html = (dist / "index.html").read_text()
    found: dict[str, list[Path]] = {"js": [], "css": []}
    for name in _LOADED.findall(html):
        found[name.rsplit(".", 1)[1]].append(dist / name)
    if not found["js"]:
        raise RuntimeError(f"{dist / 'index.html'} loads no script")
    return found


def sizes(files: list[Path]) -> tuple[int, int]:
    """Raw and gzip-compressed bytes of ``files`` together."""
    raw = gz = 0
    for path in files:
        data = path.read_bytes()
        raw += len(data)
        gz += len(gzip.compress(data, compresslevel=9, mtime=0))
    return raw, gz


def _unminified(out: Path) -> Path:
    vite = FRONTEND / "node_modules" / ".bin" / "vite"
    subprocess.run(
        [str(vite), "build", "--minify", "false", "--outDir", str(out), "--emptyOutDir"],
        cwd=FRONTEND,
        check=True,
        capture_output=True,
    )
    return out


def _kb(n: int) -> str:
    return f"{n / 1024:.1f} KB"


def run() -> str:
    ours = loaded(FRONTEND / "dist")
    with tempfile.TemporaryDirectory() as tmp:
        naive = loaded(_unminified(Path(tmp) / "dist"))
        rows = []
        for kind in ("js", "css"):
            (raw, gz), (naive_raw, naive_gz) = sizes(ours[kind]), sizes(naive[kind])
            rows.append(
                [
                    kind.upper(),
                    _kb(raw),
                    _kb(gz),
                    _kb(naive_raw),
                    _kb(naive_gz),
                    f"{gz / naive_gz:.2f}",
                ]
            )
    js_gz = sizes(ours["js"])[1]
    verdict = "holds" if js_gz <= TARGET_JS_GZIP else "MISSED"
    return render(
        f"Web app bundle, first visit (target: JS gzipped ≤ {_kb(TARGET_JS_GZIP)}: {verdict})",
        ["", "ours raw", "ours gzip", "naive raw", "naive gzip", "gzip ratio"],
        rows,
    )
