"""The deployable template: Chalice's, with infra/stack.yaml, functions.yaml and api-gateway.yaml
merged in by `chalice package` as `make package` does it, then checked as AWS would see it.

Packaged once per module from a copy of the project whose requirements.txt is empty: the
template does not depend on the wheels, and so nothing is downloaded."""

from __future__ import annotations

import dataclasses
import json
import shutil
import subprocess
import sys
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from infra import package as packaging
from infra.cfn import Resolver
from infra.deploy import (
    PENDING_ORIGIN,
    Options,
    deploy,
    deploy_command,
    package_command,
    site_commands,
)
from tests.infra.test_layer import AARCH64, X86_64, elf_header

ROOT = Path(__file__).resolve().parents[2]
STAGE = "prod"
FUNCTIONS = {"APIHandler", "Media", "Mail", "JobsShares", "JobsHourly", "JobsDaily"}
# Resource: "*" where AWS has no ARN to name: (role, statement id) -> why.
UNSCOPED_ALLOWED = {
    ("MailRole", "TextMessages"): "an SMS goes to a phone number, which has no ARN",
}
MANAGED_CACHING_DISABLED = "4135ea2d-6df8-44a3-9df3-4b5a84be39ad"
MANAGED_ALL_VIEWER_EXCEPT_HOST = "b689b0a8-53d0-40ab-baf2-68738e2966ac"


@pytest.fixture(scope="module")
def packaged(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    project = tmp_path_factory.mktemp("project")
    shutil.copy(ROOT / "app.py", project)
    shutil.copytree(
        ROOT / "chalicelib", project / "chalicelib", ignore=shutil.ignore_patterns("__pycache__")
    )
    (project / ".chalice").mkdir()
    shutil.copy(ROOT / ".chalice" / "config.json", project / ".chalice")
    (project / "requirements.txt").write_text("")
    out = tmp_path_factory.mktemp("dist")
    merge_path = out / "merge.json"
    merge_path.write_text(json.dumps(packaging.merge_template(STAGE)))
    yield packaging.chalice_package(STAGE, out / STAGE, merge_path=merge_path, project_dir=project)


@pytest.fixture(scope="module")
def template(packaged: Path) -> dict[str, Any]:
    return json.loads(packaged.read_text())


@pytest.fixture(scope="module")
def resources(template: dict[str, Any]) -> dict[str, Any]:
    return template["Resources"]


def _tags(properties: dict[str, Any]) -> dict[str, Any]:
    tags = properties.get("Tags", {})
    return tags if isinstance(tags, dict) else {t["Key"]: t["Value"] for t in tags}


def _as_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [value]


def _statements(resources: dict[str, Any]) -> Iterator[tuple[str, dict[str, Any]]]:
    for logical_id, resource in resources.items():
        properties = resource.get("Properties", {})
        for policy in properties.get("Policies", []):
            if isinstance(policy, dict) and "PolicyDocument" in policy:
                for statement in policy["PolicyDocument"]["Statement"]:
                    yield logical_id, statement
        if "PolicyDocument" in properties:
            for statement in properties["PolicyDocument"]["Statement"]:
                yield logical_id, statement


# ---- the whole


def test_the_packaged_template_passes_cfn_lint(packaged: Path) -> None:
    result = subprocess.run(
        [str(Path(sys.executable).with_name("cfn-lint")), str(packaged)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_stage_is_pinned_and_the_site_origin_must_be_https(template) -> None:
    parameters = template["Parameters"]
    assert parameters["Stage"]["AllowedValues"] == [STAGE]
    assert "Default" not in parameters["SiteOrigin"]
    assert parameters["SiteOrigin"]["AllowedPattern"] == "https://[^/]+"


def test_a_name_defined_in_two_of_our_templates_is_refused(tmp_path: Path) -> None:
    one, two = tmp_path / "one.yaml", tmp_path / "two.yaml"
    one.write_text("Resources:\n  Q: {Type: AWS::SQS::Queue}\n")
    two.write_text("Resources:\n  Q: {Type: AWS::SNS::Topic}\n")
    with pytest.raises(packaging.PackageError, match="Resources.Q"):
        packaging.merge_template(STAGE, [one, two])


def test_every_resource_that_can_be_tagged_is(resources) -> None:
    from cfnlint.schema import PROVIDER_SCHEMA_MANAGER

    untagged = []
    for logical_id, resource in resources.items():
        schema = PROVIDER_SCHEMA_MANAGER.get_resource_schema("us-east-1", resource["Type"])
        if "Tags" not in schema.schema.get("properties", {}):
            continue  # the type takes no tags (permissions, policies, gateway responses…)
        tags = _tags(resource.get("Properties", {}))
        if tags.get("app") != "teamdrive" or tags.get("stage") != {"Ref": "Stage"}:
            untagged.append(logical_id)
    assert untagged == []


def test_sam_passes_the_functions_and_apis_tags_to_what_it_makes(template, resources) -> None:
    assert template["Globals"]["Function"]["PropagateTags"] is True
    assert resources["RestAPI"]["Properties"]["PropagateTags"] is True


# ---- least privilege


def test_no_iam_statement_allows_every_action(resources) -> None:
    broad = [
        (logical_id, statement.get("Sid"), action)
        for logical_id, statement in _statements(resources)
        if statement["Effect"] == "Allow"
        for action in _as_list(statement.get("Action", []))
        if "*" in action
    ]
    assert broad == []
    assert not any("NotAction" in s for _, s in _statements(resources))


def test_no_iam_statement_allows_an_unscoped_resource_but_where_aws_has_no_arn(resources):
    unscoped = {
        (logical_id, statement.get("Sid"))
        for logical_id, statement in _statements(resources)
        if statement["Effect"] == "Allow" and "*" in _as_list(statement.get("Resource", []))
    }
    assert unscoped == set(UNSCOPED_ALLOWED)


def test_the_functions_roles_name_only_this_stacks_resources(template, resources) -> None:
    # Every allowed resource is a Ref/GetAtt/Sub of a resource of this template, or of the
    # stage's SES identity (a parameter), or the one justified "*"; never an ARN written out.
    ours = set(resources) | set(template["Parameters"])
    for logical_id in ("ApiRole", "MediaRole", "MailRole", "JobsRole"):
        for _, statement in _statements({logical_id: resources[logical_id]}):
            if statement["Effect"] != "Allow":
                continue
            for resource in _as_list(statement.get("Resource", [])):
                if resource == "*":
                    continue
                names = set(_referenced(resource))
                assert names & ours, (logical_id, statement["Sid"], resource)


def _referenced(value: Any) -> Iterator[str]:
    from infra.cfn import _referenced_names

    yield from _referenced_names({"Fn::Sub": value} if isinstance(value, str) else value)


def test_each_function_has_its_own_role_and_chalice_makes_none(resources) -> None:
    roles = {
        name: resources[name]["Properties"]["Role"]["Fn::GetAtt"][0] for name in sorted(FUNCTIONS)
    }
    assert roles == {
        "APIHandler": "ApiRole",
        "Media": "MediaRole",
        "Mail": "MailRole",
        "JobsDaily": "JobsRole",
        "JobsHourly": "JobsRole",
        "JobsShares": "JobsRole",
    }
    assert "DefaultRole" not in resources
    assert {k for k, r in resources.items() if r["Type"] == "AWS::IAM::Role"} == set(roles.values())


def test_only_the_jobs_may_scan(resources) -> None:
    def actions(role: str) -> set[str]:
        found: set[str] = set()
        for _, statement in _statements({role: resources[role]}):
            if statement["Effect"] == "Allow":
                found.update(_as_list(statement["Action"]))
        return found

    assert "dynamodb:Scan" in actions("JobsRole")
    assert "dynamodb:Scan" not in actions("ApiRole") | actions("MediaRole") | actions("MailRole")
    assert not {a for a in actions("MediaRole") if a.startswith(("ses:", "sns:", "secrets"))}


def test_only_the_mail_function_sends_and_requests_only_queue_mail(resources) -> None:
    def allowed(role: str) -> set[str]:
        found: set[str] = set()
        for _, statement in _statements({role: resources[role]}):
            if statement["Effect"] == "Allow":
                found.update(_as_list(statement["Action"]))
        return found

    roles = ("ApiRole", "MediaRole", "MailRole", "JobsRole")
    senders = {role for role in roles if {"ses:SendEmail", "sns:Publish"} & allowed(role)}
    assert senders == {"MailRole"}
    assert "sqs:SendMessage" in allowed("ApiRole")
    assert not {a for a in allowed("MailRole") if a.startswith(("s3:", "secrets"))}


# ---- the functions


@pytest.mark.parametrize(
    ("function", "memory", "timeout"),
    [("APIHandler", 512, 15), ("Media", 2048, 120), ("JobsShares", 512, 110)]
    + [("JobsHourly", 512, 900), ("JobsDaily", 512, 900)],
)
def test_functions_run_on_arm64_with_their_memory_and_timeout(
    resources, function: str, memory: int, timeout: int
) -> None:
    properties = resources[function]["Properties"]
    assert properties["Architectures"] == ["arm64"]
    assert (properties["MemorySize"], properties["Timeout"]) == (memory, timeout)
    assert properties["FunctionName"]["Fn::Sub"].startswith("teamdrive-${Stage}-")
    log_group = resources[resources[function]["DependsOn"]]["Properties"]["LogGroupName"]
    assert log_group == {"Fn::Sub": f"/aws/lambda/{properties['FunctionName']['Fn::Sub']}"}


def test_media_has_the_ffmpeg_layer_and_a_configurable_reserved_concurrency(resources) -> None:
    media = resources["Media"]["Properties"]
    assert media["Layers"] == [{"Ref": "FfmpegLayer"}]
    assert resources["FfmpegLayer"]["Properties"]["CompatibleArchitectures"] == ["arm64"]
    assert media["ReservedConcurrentExecutions"] == {"Ref": "MediaConcurrency"}
    source = media["Events"]["MediaSqsEventSource"]["Properties"]
    # The poller never runs more than the reservation, so it never meets a throttle.
    assert source["ScalingConfig"] == {"MaximumConcurrency": {"Ref": "MediaConcurrency"}}
    assert source["BatchSize"] == 1


def test_the_media_event_source_is_the_stacks_queue(template, resources) -> None:
    resolver = Resolver(template, {"SiteOrigin": "https://example.com"})
    queue_arn = f"arn:aws:sqs:us-east-1:{resolver.pseudo['AWS::AccountId']}:{STAGE}-media-events"
    resolver.define("MediaQueue", "url", Arn=queue_arn, QueueName=f"{STAGE}-media-events")
    source = resources["Media"]["Properties"]["Events"]["MediaSqsEventSource"]["Properties"]
    assert resolver.resolve(source["Queue"]) == queue_arn
    media_queue = resources["MediaQueue"]["Properties"]["QueueName"]
    assert resolver.resolve(media_queue) == f"{STAGE}-media-events"


def test_the_mail_event_source_is_the_stacks_fifo_queue(template, resources) -> None:
    resolver = Resolver(template, {"SiteOrigin": "https://example.com"})
    queue_arn = f"arn:aws:sqs:us-east-1:{resolver.pseudo['AWS::AccountId']}:{STAGE}-mail.fifo"
    source = resources["Mail"]["Properties"]["Events"]["MailSqsEventSource"]["Properties"]
    assert resolver.resolve(source["Queue"]) == queue_arn
    assert source["BatchSize"] == 1
    queue = resources["MailQueue"]["Properties"]
    assert resolver.resolve(queue["QueueName"]) == f"{STAGE}-mail.fifo"
    assert queue["FifoQueue"] is True
    assert queue["RedrivePolicy"]["deadLetterTargetArn"] == {
        "Fn::GetAtt": ["MailDeadLetterQueue", "Arn"]
    }


def test_names_and_arns_reach_the_functions_by_reference(template) -> None:
    variables = template["Globals"]["Function"]["Environment"]["Variables"]
    assert variables["FILES_BUCKET"] == {"Ref": "FilesBucket"}
    assert variables["MEDIA_QUEUE_URL"] == {"Ref": "MediaQueue"}
    assert variables["MAIL_QUEUE_URL"] == {"Ref": "MailQueue"}
    assert variables["SIGNING_SECRET_ID"] == {"Ref": "SigningKeySecret"}
    assert variables["PUBLIC_URL"] == {"Ref": "SiteOrigin"}
    assert variables["STAGE"] == {"Ref": "Stage"}
    assert all(isinstance(v, dict) for v in variables.values()), variables


# ---- the site


def test_the_api_is_served_under_api_uncached_with_every_viewer_header_but_host(resources):
    config = resources["SiteDistribution"]["Properties"]["DistributionConfig"]
    origins = {o["Id"]: o for o in config["Origins"]}
    (api,) = [b for b in config["CacheBehaviors"] if b["PathPattern"] == "/api/*"]
    assert origins[api["TargetOriginId"]]["DomainName"] == {
        "Fn::Sub": "${RestAPI}.execute-api.${AWS::Region}.${AWS::URLSuffix}"
    }
    assert api["CachePolicyId"] == MANAGED_CACHING_DISABLED
    assert api["OriginRequestPolicyId"] == MANAGED_ALL_VIEWER_EXCEPT_HOST
    assert set(api["AllowedMethods"]) == {
        "GET",
        "HEAD",
        "OPTIONS",
        "PUT",
        "PATCH",
        "POST",
        "DELETE",
    }
    assert resources["RestAPI"]["Properties"]["EndpointConfiguration"] == "REGIONAL"


def test_the_site_bucket_is_private_and_read_only_by_this_distribution(resources) -> None:
    config = resources["SiteDistribution"]["Properties"]["DistributionConfig"]
    site = next(
        o for o in config["Origins"] if o["Id"] == config["DefaultCacheBehavior"]["TargetOriginId"]
    )
    assert site["OriginAccessControlId"] == {"Fn::GetAtt": ["SiteOriginAccessControl", "Id"]}
    assert all(resources["SiteBucket"]["Properties"]["PublicAccessBlockConfiguration"].values())
    statements = resources["SiteBucketPolicy"]["Properties"]["PolicyDocument"]["Statement"]
    (read,) = [s for s in statements if s["Effect"] == "Allow"]
    assert read["Principal"] == {"Service": "cloudfront.amazonaws.com"}
    assert "${SiteDistribution}" in read["Condition"]["StringEquals"]["AWS:SourceArn"]["Fn::Sub"]


# ---- alarms


def test_alarms_watch_dead_letters_api_5xx_and_every_functions_errors_and_throttles(resources):
    watched: dict[str, set[str]] = {"Errors": set(), "Throttles": set()}
    names = set()
    for resource in resources.values():
        if resource["Type"] != "AWS::CloudWatch::Alarm":
            continue
        properties = resource["Properties"]
        assert properties["AlarmActions"] == [{"Ref": "AlarmTopic"}]
        metrics = [properties] + [
            m["MetricStat"]["Metric"] for m in properties.get("Metrics", []) if "MetricStat" in m
        ]
        for metric in metrics:
            if "MetricName" not in metric:
                continue
            names.add((metric["Namespace"], metric["MetricName"]))
            for dimension in metric.get("Dimensions", []):
                if dimension["Name"] == "FunctionName" and metric["MetricName"] in watched:
                    watched[metric["MetricName"]].add(dimension["Value"]["Ref"])
    assert ("AWS/SQS", "ApproximateNumberOfMessagesVisible") in names
    assert ("AWS/ApiGateway", "5XXError") in names
    assert watched == {"Errors": FUNCTIONS, "Throttles": FUNCTIONS}


def test_every_table_keeps_point_in_time_recovery_and_outlives_the_stack(resources) -> None:
    tables = [r for r in resources.values() if r["Type"] == "AWS::DynamoDB::Table"]
    assert len(tables) == 6
    for table in tables:
        recovery = table["Properties"]["PointInTimeRecoverySpecification"]
        assert recovery == {"PointInTimeRecoveryEnabled": True}
        assert table["DeletionPolicy"] == table["UpdateReplacePolicy"] == "Retain"


def test_a_package_with_a_library_for_another_machine_is_found(tmp_path: Path) -> None:
    archive = tmp_path / "deployment.zip"
    with zipfile.ZipFile(archive, "w") as package:
        package.writestr("PIL/_imaging.so", elf_header(AARCH64) + b"arm")
        package.writestr("cffi/_cffi_backend.so", elf_header(X86_64) + b"intel")
        package.writestr("app.py", "print('not ELF')")
    assert packaging.foreign_binaries(archive) == ["cffi/_cffi_backend.so"]


# ---- make deploy, offline


class FakeAws:
    """Stands in for the AWS CLI (the wire of infra/deploy.py): records each command, answers
    describe-stacks with what the stack would say after each deploy."""

    dry_run = False

    def __init__(self, domain: str) -> None:
        self.domain = domain
        self.ran: list[tuple[str, ...]] = []
        self.deploys = 0

    def __call__(self, *args: str) -> str:
        self.ran.append(args)
        self.deploys += args[:2] == ("cloudformation", "deploy")
        return ""

    def outputs(self, stack: str) -> dict[str, str]:  # noqa: ARG002 - one stack here
        if not self.deploys:
            return {}
        return {
            "SiteDistributionDomainName": self.domain,
            "SiteBucketName": "teamdrive-prod-site",
            "SiteDistributionId": "E123",
        }


def _origins(aws: FakeAws) -> list[str]:
    return [
        next(a for a in command if a.startswith("SiteOrigin="))
        for command in aws.ran
        if command[:2] == ("cloudformation", "deploy")
    ]


@pytest.fixture
def built(tmp_path: Path) -> Options:
    (tmp_path / "dist" / STAGE).mkdir(parents=True)
    (tmp_path / "dist" / STAGE / "sam.json").write_text("{}")
    (tmp_path / "frontend" / "assets").mkdir(parents=True)
    (tmp_path / "frontend" / "index.html").write_text("<!doctype html>")
    return Options(
        stage=STAGE, bucket="artifacts", dist=tmp_path / "dist", frontend=tmp_path / "frontend"
    )


def test_a_first_deploy_without_a_domain_learns_the_distributions_and_deploys_again(built):
    aws = FakeAws("d1.cloudfront.net")
    deploy(built, aws)  # type: ignore[arg-type]
    assert _origins(aws) == [f"SiteOrigin={PENDING_ORIGIN}", "SiteOrigin=https://d1.cloudfront.net"]
    assert aws.ran[-2][:2] == ("cloudfront", "create-invalidation")
    assert ("s3", "cp") == aws.ran[-5][:2] and aws.ran[-5][2].endswith(".json")
    # Last, the hourly job is started, so the operators' stats exist soon after a first deploy.
    invoke = aws.ran[-1]
    assert invoke[:2] == ("lambda", "invoke") and "Event" in invoke
    assert invoke[invoke.index("--function-name") + 1] == "teamdrive-prod-jobs-hourly"


def test_a_later_deploy_or_one_with_a_domain_deploys_once(built) -> None:
    aws = FakeAws("d1.cloudfront.net")
    aws.deploys = 1  # the stack exists
    deploy(built, aws)  # type: ignore[arg-type]
    assert _origins(aws) == ["SiteOrigin=https://d1.cloudfront.net"]
    aws = FakeAws("d1.cloudfront.net")
    deploy(dataclasses.replace(built, site_domain="drive.example.com"), aws)  # type: ignore[arg-type]
    assert _origins(aws) == ["SiteOrigin=https://drive.example.com"]


def test_deploy_uploads_the_code_and_layer_then_deploys_the_stage() -> None:
    options = Options(stage=STAGE, bucket="artifacts", mail_from="td <no-reply@example.com>")
    assert package_command(options)[:2] == ["cloudformation", "package"]
    command = deploy_command(options, "https://d1.cloudfront.net")
    assert command[command.index("--stack-name") + 1] == "teamdrive-prod"
    assert {"CAPABILITY_IAM", "CAPABILITY_AUTO_EXPAND"} <= set(command)
    overrides = command[command.index("--parameter-overrides") + 1 :]
    assert "SiteOrigin=https://d1.cloudfront.net" in overrides
    assert "MailIdentity=example.com" in overrides  # the api may send as its domain only
    template = packaging.merge_template(STAGE)
    for override in overrides:
        assert override.split("=", 1)[0] in template["Parameters"]


def test_deploy_makes_hashed_assets_immutable_and_the_rest_revalidate(tmp_path: Path) -> None:
    sync_assets, sync_rest, invalidate = site_commands("site-bucket", "E123", frontend=tmp_path)
    assert sync_assets[sync_assets.index("--cache-control") + 1].endswith("immutable")
    assert sync_assets[3] == "s3://site-bucket/assets"
    assert sync_rest[sync_rest.index("--cache-control") + 1] == "no-cache"
    assert "assets/*" in sync_rest and "--delete" in sync_rest
    assert invalidate[:2] == ["cloudfront", "create-invalidation"] and "/*" in invalidate


def test_make_deploy_dry_run_parses() -> None:
    result = subprocess.run(
        ["make", "-n", "deploy", f"STAGE={STAGE}", "DEPLOY_BUCKET=artifacts"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert f"-m infra.package --stage {STAGE}" in result.stdout
    assert f"-m infra.deploy --stage {STAGE} --bucket artifacts" in result.stdout
