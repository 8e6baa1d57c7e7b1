"""`make package`: one deployable template per stage, Chalice's and ours merged, checked.

    python -m infra.package --stage prod [--out dist] [--no-lint]

1. infra/stack.yaml (what Chalice does not make), infra/functions.yaml (what Chalice's config
   cannot say about its functions) and infra/api-gateway.yaml (API Gateway's own answers) become
   one merge template, pinned to the stage (Stage has one allowed value; the site's origin must
   be https), because `chalice package --merge-template` takes one file;
2. `chalice package --stage STAGE --merge-template …` deep-merges it into Chalice's SAM
   template, so names and ARNs reach the functions by Ref and GetAtt, never copied;
3. every native library in the function's package must be for arm64 (Chalice downloads the
   wheels for `lambda_architecture`, and leaves out, with a warning, what it cannot find);
4. the ffmpeg layer's arm64 zip (`make layers`) is copied next to the template;
5. cfn-lint checks the result: any error fails.

The output, dist/STAGE/, holds sam.json, deployment.zip and ffmpeg-arm64.zip, ready for
`aws cloudformation package` (infra/deploy.py).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import zipfile
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from infra.cfn import load_template

ROOT = Path(__file__).resolve().parents[1]
INFRA = ROOT / "infra"
PARTS = (INFRA / "stack.yaml", INFRA / "functions.yaml", INFRA / "api-gateway.yaml")
SECTIONS = ("Parameters", "Conditions", "Globals", "Resources", "Outputs")
LAYER_ZIP = ROOT / "layers" / "dist" / "ffmpeg-arm64.zip"
AARCH64 = 0xB7  # ELF e_machine of arm64
BIN = Path(sys.executable).parent


class PackageError(Exception):
    """The stage cannot be packaged as it stands."""


def merge_template(stage: str, parts: Iterable[Path] = PARTS) -> dict[str, Any]:
    """Our templates as one, for `--merge-template`; a name defined twice is an error."""
    merged: dict[str, Any] = {}
    for path in parts:
        template = load_template(path)
        for section in SECTIONS:
            into = merged.setdefault(section, {})
            for name, value in template.get(section, {}).items():
                if name in into and section != "Globals":
                    raise PackageError(f"{section}.{name} is defined twice ({path.name})")
                into[name] = _merged(into.get(name), value)
    parameters = merged["Parameters"]
    parameters["Stage"] = {**parameters["Stage"], "Default": stage, "AllowedValues": [stage]}
    origin = {k: v for k, v in parameters["SiteOrigin"].items() if k != "Default"}
    parameters["SiteOrigin"] = {**origin, "AllowedPattern": "https://[^/]+"}
    return {section: merged[section] for section in SECTIONS if merged.get(section)}


def _merged(old: Any, new: Any) -> Any:
    if isinstance(old, dict) and isinstance(new, dict):
        return {**old, **{k: _merged(old.get(k), v) for k, v in new.items()}}
    return new


def chalice_package(stage: str, out: Path, merge_path: Path, *, project_dir: Path = ROOT) -> Path:
    """Run `chalice package`; returns the merged template's path (out/sam.json)."""
    if out.exists():
        shutil.rmtree(out)
    env = dict(os.environ, STAGE=stage)  # app.py names the stage's queue from it
    env.setdefault("AWS_DEFAULT_REGION", env.get("AWS_REGION", "us-east-1"))
    command = [str(BIN / "chalice"), "--project-dir", str(project_dir), "package"]
    command += ["--stage", stage, "--merge-template", str(merge_path), str(out)]
    result = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    sys.stdout.write(result.stdout)
    sys.stderr.write(result.stderr)
    if result.returncode != 0:
        raise PackageError(f"chalice package failed (exit {result.returncode})")
    if "Could not install dependencies" in result.stdout + result.stderr:
        raise PackageError("chalice found no arm64 wheel for some dependencies (see above)")
    return out / "sam.json"


def foreign_binaries(package_zip: Path, machine: int = AARCH64) -> list[str]:
    """Members of the zip that are ELF files for another machine than ``machine``."""
    foreign = []
    with zipfile.ZipFile(package_zip) as archive:
        for info in archive.infolist():
            with archive.open(info) as member:
                header = member.read(20)
            if header[:4] == b"\x7fELF" and int.from_bytes(header[18:20], "little") != machine:
                foreign.append(info.filename)
    return foreign


def lint(template: Path) -> int:
    """cfn-lint's exit code: a bit mask, 2 for errors, 4 warnings, 8 informational."""
    result = subprocess.run([str(BIN / "cfn-lint"), str(template)], check=False)
    return result.returncode


def package(stage: str, *, out: Path, project_dir: Path = ROOT, lint_it: bool = True) -> Path:
    """Everything the module docstring lists; returns out/STAGE/sam.json."""
    out.mkdir(parents=True, exist_ok=True)
    merge_path = out / f"merge-{stage}.json"
    merge_path.write_text(json.dumps(merge_template(stage), indent=1) + "\n")
    stage_dir = out / stage
    template = chalice_package(stage, stage_dir, merge_path=merge_path, project_dir=project_dir)
    foreign = foreign_binaries(stage_dir / "deployment.zip")
    if foreign:
        raise PackageError(f"not arm64: {', '.join(foreign[:5])}")
    if not LAYER_ZIP.exists():
        raise PackageError(f"{LAYER_ZIP.relative_to(ROOT)} is missing: run `make layers`")
    shutil.copy(LAYER_ZIP, stage_dir / LAYER_ZIP.name)
    if lint_it and lint(template) & 2:
        raise PackageError(f"cfn-lint found errors in {template}")
    return template


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--stage", required=True)
    parser.add_argument("--out", type=Path, default=ROOT / "dist")
    parser.add_argument("--no-lint", action="store_true")
    args = parser.parse_args(argv)
    try:
        template = package(args.stage, out=args.out, lint_it=not args.no_lint)
    except PackageError as exc:
        print(f"package: {exc}", file=sys.stderr)  # noqa: T201 - a command-line tool
        return 1
    print(f"packaged {template.relative_to(args.out.parent)}")  # noqa: T201
    return 0


if __name__ == "__main__":
    sys.exit(main())
