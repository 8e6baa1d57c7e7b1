"""`make deploy STAGE=…`: the packaged stage (dist/STAGE, from infra/package.py) to AWS.

    python -m infra.deploy --stage prod --bucket ARTIFACTS [--dry-run]

Runs the AWS CLI (a deployer's prerequisite, with the deployer's credentials):
1. `aws cloudformation package` uploads deployment.zip and the ffmpeg layer to the artifacts
   bucket and rewrites the template to point at them;
2. `aws cloudformation deploy` creates or updates the stack `teamdrive-STAGE`. The site's origin
   (the functions' PUBLIC_URL, the files bucket's CORS) is `https://SITE_DOMAIN` when there is
   one, else the distribution's own domain, which only exists after a first deploy: a first
   deploy without a domain therefore runs twice, the second time with the domain it learnt;
3. the stack's outputs are read back (`describe-stacks`), never copied;
4. the web app goes to the site bucket: hashed assets immutable for a year, then everything
   else (index.html, favicon, the `config.json` it reads) revalidated on every load, so a new
   index.html never names an asset that is not there yet;
5. one CloudFront invalidation of `/*`;
6. the hourly job is started once (asynchronously), so the operators' stats snapshot, which
   only the jobs may count, exists minutes after a first deploy rather than within the hour.

``--dry-run`` prints the commands instead (the outputs it would read appear as <Name>).
"""

from __future__ import annotations

import argparse
import json
import os
import shlex
import subprocess
import sys
import tempfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from email.utils import parseaddr
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
FRONTEND = ROOT / "frontend" / "dist"
IMMUTABLE = "public, max-age=31536000, immutable"
REVALIDATE = "no-cache"
PENDING_ORIGIN = "https://pending.invalid"  # the first pass's origin, before CloudFront has one


@dataclass(frozen=True)
class Options:
    stage: str
    bucket: str
    region: str | None = None
    site_domain: str = ""
    certificate_arn: str = ""
    alarm_email: str = ""
    mail_from: str = ""
    mail_identity: str = ""
    google_client_id: str = ""
    media_concurrency: str = ""
    dist: Path = ROOT / "dist"
    frontend: Path = FRONTEND

    @property
    def stack(self) -> str:
        return f"teamdrive-{self.stage}"


@dataclass
class Aws:
    """Runs `aws …` (or, dry, prints it); ``outputs`` reads a stack's outputs."""

    dry_run: bool = False
    region: str | None = None
    ran: list[list[str]] = field(default_factory=list)

    def __call__(self, *args: str) -> str:
        command = ["aws", *args] + (["--region", self.region] if self.region else [])
        self.ran.append(command)
        if self.dry_run:
            print(shlex.join(command))  # noqa: T201 - the dry run's output
            return ""
        result = subprocess.run(command, capture_output=True, text=True, check=False)
        if result.returncode != 0:
            raise SystemExit(f"{shlex.join(command)} failed:\n{result.stderr}")
        return result.stdout

    def outputs(self, stack: str) -> dict[str, str]:
        """The stack's outputs by name; {} when it does not exist yet."""
        if self.dry_run:
            self("cloudformation", "describe-stacks", "--stack-name", stack)
            return {}
        command = ["aws", "cloudformation", "describe-stacks", "--stack-name", stack]
        command += ["--output", "json"] + (["--region", self.region] if self.region else [])
        result = subprocess.run(command, capture_output=True, text=True, check=False)
        if result.returncode != 0:
            if "does not exist" in result.stderr:
                return {}
            raise SystemExit(f"{shlex.join(command)} failed:\n{result.stderr}")
        stack_info = json.loads(result.stdout)["Stacks"][0]
        return {o["OutputKey"]: o["OutputValue"] for o in stack_info.get("Outputs", [])}


def parameter_overrides(options: Options, site_origin: str) -> list[str]:
    """`Key=Value` for every parameter given; the template's defaults stand for the rest. The
    mail function may send only as MailIdentity: by default, the domain of MailFrom's address."""
    identity = options.mail_identity or parseaddr(options.mail_from)[1].rpartition("@")[2]
    values = {
        "Stage": options.stage,
        "SiteOrigin": site_origin,
        "SiteDomain": options.site_domain,
        "SiteCertificateArn": options.certificate_arn,
        "AlarmEmail": options.alarm_email,
        "MailFrom": options.mail_from,
        "MailIdentity": identity,
        "GoogleClientId": options.google_client_id,
        "MediaConcurrency": options.media_concurrency,
    }
    required = {"Stage", "SiteOrigin"}
    return [f"{k}={v}" for k, v in values.items() if v or k in required]


def package_command(options: Options) -> list[str]:
    stage_dir = options.dist / options.stage
    return [
        "cloudformation", "package",
        "--template-file", str(stage_dir / "sam.json"),
        "--s3-bucket", options.bucket,
        "--s3-prefix", f"teamdrive/{options.stage}",
        "--output-template-file", str(stage_dir / "packaged.json"),
        "--use-json",
    ]  # fmt: skip


def deploy_command(options: Options, site_origin: str) -> list[str]:
    return [
        "cloudformation", "deploy",
        "--template-file", str(options.dist / options.stage / "packaged.json"),
        "--stack-name", options.stack,
        # Roles of our own (CAPABILITY_IAM) and the SAM transform (CAPABILITY_AUTO_EXPAND).
        "--capabilities", "CAPABILITY_IAM", "CAPABILITY_AUTO_EXPAND",
        "--no-fail-on-empty-changeset",
        "--tags", "app=teamdrive", f"stage={options.stage}",
        "--parameter-overrides", *parameter_overrides(options, site_origin),
    ]  # fmt: skip


def site_commands(
    site_bucket: str, distribution_id: str, *, frontend: Path = FRONTEND
) -> list[list[str]]:
    """Upload the built web app (config.json is written before, see ``deploy``), invalidate."""
    target = f"s3://{site_bucket}"
    return [
        ["s3", "sync", str(frontend / "assets"), f"{target}/assets", "--cache-control", IMMUTABLE],
        [
            "s3", "sync", str(frontend), target, "--delete",
            "--exclude", "assets/*", "--exclude", "config.json",
            "--cache-control", REVALIDATE,
        ],
        ["cloudfront", "create-invalidation", "--distribution-id", distribution_id,
         "--paths", "/*"],
    ]  # fmt: skip


def site_origin(options: Options, outputs: Mapping[str, str]) -> str | None:
    """The site's origin, or None when only a first deploy can tell it (no domain yet)."""
    if options.site_domain:
        return f"https://{options.site_domain}"
    domain = outputs.get("SiteDistributionDomainName")
    return f"https://{domain}" if domain else None


def deploy(options: Options, aws: Aws) -> dict[str, str]:
    """Everything the module docstring lists; returns the stack's outputs."""
    if not (options.dist / options.stage / "sam.json").exists() and not aws.dry_run:
        raise SystemExit(f"no dist/{options.stage}/sam.json: run `make package` first")
    if not (options.frontend / "index.html").exists() and not aws.dry_run:
        raise SystemExit("no frontend/dist/index.html: run `make frontend` first")
    aws(*package_command(options))
    origin = site_origin(options, aws.outputs(options.stack))
    aws(*deploy_command(options, origin or PENDING_ORIGIN))
    outputs = aws.outputs(options.stack)
    if origin is None and not aws.dry_run:
        origin = site_origin(options, outputs)
        aws(*deploy_command(options, origin or PENDING_ORIGIN))
        outputs = aws.outputs(options.stack)
    bucket = outputs.get("SiteBucketName", "<SiteBucketName>")
    distribution = outputs.get("SiteDistributionId", "<SiteDistributionId>")
    config = json.dumps({"google_client_id": options.google_client_id or None})
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as handle:
        handle.write(config)
    aws("s3", "cp", handle.name, f"s3://{bucket}/config.json",
        "--content-type", "application/json", "--cache-control", REVALIDATE)  # fmt: skip
    Path(handle.name).unlink()
    for command in site_commands(bucket, distribution, frontend=options.frontend):
        aws(*command)
    aws(*hourly_job_command(options))
    return outputs


def hourly_job_command(options: Options) -> list[str]:
    """Start the stage's hourly job now, without waiting for it (infra/functions.yaml names
    the function)."""
    return [
        "lambda", "invoke",
        "--function-name", f"teamdrive-{options.stage}-jobs-hourly",
        "--invocation-type", "Event",
        "--cli-binary-format", "raw-in-base64-out",
        "--payload", "{}",
        os.devnull,
    ]  # fmt: skip


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--stage", required=True)
    parser.add_argument("--bucket", required=True, help="artifacts bucket for the packages")
    parser.add_argument("--region")
    parser.add_argument("--site-domain", default="")
    parser.add_argument("--certificate-arn", default="")
    parser.add_argument("--alarm-email", default="")
    parser.add_argument("--mail-from", default="")
    parser.add_argument("--mail-identity", default="")
    parser.add_argument("--google-client-id", default="")
    parser.add_argument("--media-concurrency", default="")
    parser.add_argument("--dry-run", action="store_true")
    args = vars(parser.parse_args(argv))
    dry_run = args.pop("dry_run")
    options = Options(**args)
    if options.stage in {"local", "test", "live"}:
        raise SystemExit(f"stage {options.stage!r} never deploys (chalicelib/config.py)")
    outputs = deploy(options, Aws(dry_run=dry_run, region=options.region))
    if outputs:
        print(f"deployed {options.stack}: {outputs.get('SiteUrl')}")  # noqa: T201
    return 0


if __name__ == "__main__":
    sys.exit(main())
