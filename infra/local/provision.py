"""Local provisioning: creates the resources that infra/stack.yaml declares through the AWS API
(moto locally), translating each resource's CloudFormation Properties into the boto3 calls that
CloudFormation would make. What it cannot honour it refuses, rather than drift from the stack.
"""

from __future__ import annotations

import json
import secrets
import string
from collections.abc import Callable, Mapping
from collections.abc import Set as AbstractSet
from email.utils import parseaddr
from pathlib import Path
from typing import Any

import boto3
from botocore.exceptions import ClientError

from infra.cfn import STACK_PATH, Resolver, load_template

TABLE = "AWS::DynamoDB::Table"
# Only AWS has a use for these: policies (moto ignores their conditions), the CDN in front of
# the site (the local runner serves it), alarms, their topic and the dashboard. Skipped locally,
# with the outputs that name them.
AWS_ONLY_TYPES = frozenset(
    {
        "AWS::S3::BucketPolicy",
        "AWS::SQS::QueuePolicy",
        "AWS::SNS::TopicPolicy",
        "AWS::IAM::Policy",
        "AWS::IAM::ManagedPolicy",
        "AWS::CloudFront::Distribution",
        "AWS::CloudFront::OriginAccessControl",
        "AWS::CloudFront::Function",
        "AWS::CloudWatch::Alarm",
        "AWS::CloudWatch::Dashboard",
        "AWS::SNS::Topic",
    }
)

ClientSource = boto3.session.Session | Mapping[str, Any]


class _Clients:
    """boto3 clients from a session (made on first use) or from a mapping service -> client."""

    def __init__(self, source: ClientSource) -> None:
        self._source = source
        self._made: dict[str, Any] = {}

    def __call__(self, service: str) -> Any:
        if isinstance(self._source, Mapping):
            return self._source[service]
        if service not in self._made:
            self._made[service] = self._source.client(service)  # type: ignore[call-overload]
        return self._made[service]

    @property
    def region(self) -> str:
        if isinstance(self._source, Mapping):
            return next(iter(self._source.values())).meta.region_name
        return self._source.region_name or "us-east-1"


def provision(
    source: ClientSource,
    *,
    stage: str,
    site_origin: str,
    template_path: str | Path = STACK_PATH,
    tables_only: bool = False,
) -> dict[str, Any]:
    """Create the template's resources; return its Outputs (names, URLs, ARNs) resolved, but
    those of what AWS alone has."""
    clients = _Clients(source)
    template = load_template(template_path)
    resolver = Resolver(
        template, {"Stage": stage, "SiteOrigin": site_origin}, region=clients.region
    )
    aws_only = set()
    for logical_id in resolver.ordered():
        kind = resolver.resources[logical_id]["Type"]
        if tables_only and kind != TABLE:
            continue
        create = _CREATORS.get(kind)
        if create is None:
            if kind not in AWS_ONLY_TYPES:
                raise NotImplementedError(f"{logical_id}: cannot create {kind} locally")
            aws_only.add(logical_id)
            continue
        properties = resolver.resolve(resolver.resources[logical_id].get("Properties", {}))
        ref, attributes = create(clients, properties)
        resolver.define(logical_id, ref, **attributes)
    return resolver.outputs(skip_unresolved=tables_only, leave_out=aws_only)


def prepare_mail(ses_client: Any, address: str) -> str:
    """Verify the sender (``"name <addr>"`` or ``addr``): SES, and moto, refuse unverified ones."""
    _, bare = parseaddr(address)
    if "@" not in bare:
        raise ValueError(f"not an email address: {address!r}")
    ses_client.verify_email_identity(EmailAddress=bare)
    return bare


def _error_code(error: ClientError) -> str:
    return str(error.response.get("Error", {}).get("Code", ""))


def _refuse_unknown(what: str, properties: Mapping[str, Any], known: AbstractSet[str]) -> None:
    unknown = sorted(set(properties) - known)
    if unknown:
        raise NotImplementedError(f"{what}: cannot honour {', '.join(unknown)} locally")


# ---- DynamoDB
_TABLE_AS_IS = frozenset(
    "TableName AttributeDefinitions KeySchema BillingMode ProvisionedThroughput "
    "TableClass DeletionProtectionEnabled Tags".split()
)
_INDEX_AS_IS = {"IndexName", "KeySchema", "Projection", "ProvisionedThroughput"}
_MONITORING_ONLY = {"ContributorInsightsSpecification"}
_TABLE_LATER = {"TimeToLiveSpecification", "PointInTimeRecoverySpecification"}


def _index(table: str, index: Mapping[str, Any]) -> dict[str, Any]:
    _refuse_unknown(f"table {table} index", index, _INDEX_AS_IS | _MONITORING_ONLY)
    return {key: value for key, value in index.items() if key in _INDEX_AS_IS}


def table_arguments(properties: Mapping[str, Any]) -> dict[str, Any]:
    """CloudFormation table Properties -> ``create_table`` keyword arguments."""
    name = properties.get("TableName")
    if not name:
        raise NotImplementedError("give every table a TableName: local mode derives none")
    known = _TABLE_AS_IS | _MONITORING_ONLY | _TABLE_LATER
    known |= {"GlobalSecondaryIndexes", "LocalSecondaryIndexes", "StreamSpecification"}
    known |= {"SSESpecification"}
    _refuse_unknown(f"table {name}", properties, known)
    kwargs = {key: value for key, value in properties.items() if key in _TABLE_AS_IS}
    for key in ("GlobalSecondaryIndexes", "LocalSecondaryIndexes"):
        if properties.get(key):
            kwargs[key] = [_index(name, index) for index in properties[key]]
    if "StreamSpecification" in properties:
        view = properties["StreamSpecification"]["StreamViewType"]
        kwargs["StreamSpecification"] = {"StreamEnabled": True, "StreamViewType": view}
    if "SSESpecification" in properties:
        sse = properties["SSESpecification"]
        kwargs["SSESpecification"] = {"Enabled": sse.get("SSEEnabled", False)} | {
            key: sse[key] for key in ("SSEType", "KMSMasterKeyId") if key in sse
        }
    return kwargs


def _create_table(clients: _Clients, properties: Mapping[str, Any]) -> tuple[str, dict[str, Any]]:
    dynamodb = clients("dynamodb")
    kwargs = table_arguments(properties)
    name = kwargs["TableName"]
    try:
        description = dynamodb.create_table(**kwargs)["TableDescription"]
    except ClientError as error:
        if _error_code(error) != "ResourceInUseException":
            raise
        return name, _table_attributes(dynamodb.describe_table(TableName=name)["Table"])
    ttl = properties.get("TimeToLiveSpecification")
    if ttl and ttl.get("Enabled"):
        dynamodb.update_time_to_live(TableName=name, TimeToLiveSpecification=ttl)
    recovery = properties.get("PointInTimeRecoverySpecification")
    if recovery and recovery.get("PointInTimeRecoveryEnabled"):
        dynamodb.update_continuous_backups(
            TableName=name, PointInTimeRecoverySpecification=recovery
        )
    return name, _table_attributes(description)


def _table_attributes(description: Mapping[str, Any]) -> dict[str, Any]:
    attributes = {"Arn": description["TableArn"]}
    if description.get("LatestStreamArn"):
        attributes["StreamArn"] = description["LatestStreamArn"]
    return attributes


# ---- SQS
_QUEUE_ATTRIBUTES = frozenset(
    "ContentBasedDeduplication DeduplicationScope DelaySeconds FifoQueue "
    "FifoThroughputLimit KmsDataKeyReusePeriodSeconds KmsMasterKeyId MaximumMessageSize "
    "MessageRetentionPeriod ReceiveMessageWaitTimeSeconds RedriveAllowPolicy "
    "RedrivePolicy SqsManagedSseEnabled VisibilityTimeout".split()
)


def _attribute_text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dict | list):
        return json.dumps(value)
    return str(value)


def _create_queue(clients: _Clients, properties: Mapping[str, Any]) -> tuple[str, dict[str, Any]]:
    name = properties.get("QueueName")
    if not name:
        raise NotImplementedError("give every queue a QueueName: local mode derives none")
    _refuse_unknown(f"queue {name}", properties, _QUEUE_ATTRIBUTES | {"QueueName", "Tags"})
    sqs = clients("sqs")
    kwargs: dict[str, Any] = {"QueueName": name}
    attributes = {k: _attribute_text(v) for k, v in properties.items() if k in _QUEUE_ATTRIBUTES}
    if attributes:
        kwargs["Attributes"] = attributes
    if properties.get("Tags"):
        kwargs["tags"] = {tag["Key"]: tag["Value"] for tag in properties["Tags"]}
    url = sqs.create_queue(**kwargs)["QueueUrl"]
    arn = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"]
    return url, {"Arn": arn["QueueArn"], "QueueName": name, "QueueUrl": url}


# ---- S3
_CORS_KEYS = {
    "AllowedHeaders": "AllowedHeaders",
    "AllowedMethods": "AllowedMethods",
    "AllowedOrigins": "AllowedOrigins",
    "ExposedHeaders": "ExposeHeaders",
    "Id": "ID",
    "MaxAge": "MaxAgeSeconds",
}


def cors_rules(configuration: Mapping[str, Any]) -> list[dict[str, Any]]:
    """CloudFormation ``CorsConfiguration`` -> boto3 ``CORSRules``."""
    rules = []
    for rule in configuration["CorsRules"]:
        _refuse_unknown("bucket CORS rule", rule, set(_CORS_KEYS))
        rules.append({_CORS_KEYS[key]: value for key, value in rule.items()})
    return rules


def lifecycle_rules(configuration: Mapping[str, Any]) -> list[dict[str, Any]]:
    """CloudFormation ``LifecycleConfiguration`` -> boto3 lifecycle ``Rules``."""
    rules = []
    for rule in configuration["Rules"]:
        known = {"Id", "Status", "Prefix", "AbortIncompleteMultipartUpload", "ExpirationInDays"}
        known |= {"NoncurrentVersionExpiration", "NoncurrentVersionExpirationInDays"}
        _refuse_unknown("bucket lifecycle rule", rule, known)
        out: dict[str, Any] = {
            "Status": rule["Status"],
            "Filter": {"Prefix": rule.get("Prefix", "")},
        }
        if "Id" in rule:
            out["ID"] = rule["Id"]
        if "AbortIncompleteMultipartUpload" in rule:
            out["AbortIncompleteMultipartUpload"] = rule["AbortIncompleteMultipartUpload"]
        if "ExpirationInDays" in rule:
            out["Expiration"] = {"Days": int(rule["ExpirationInDays"])}
        if "NoncurrentVersionExpirationInDays" in rule:
            days = int(rule["NoncurrentVersionExpirationInDays"])
            out["NoncurrentVersionExpiration"] = {"NoncurrentDays": days}
        if "NoncurrentVersionExpiration" in rule:
            out["NoncurrentVersionExpiration"] = rule["NoncurrentVersionExpiration"]
        rules.append(out)
    return rules


def _key_filter(filter_: Mapping[str, Any]) -> dict[str, Any]:
    _refuse_unknown("bucket notification filter", filter_, {"S3Key"})
    return {"Key": {"FilterRules": list(filter_["S3Key"]["Rules"])}}


def notification_configuration(configuration: Mapping[str, Any]) -> dict[str, Any]:
    """CloudFormation ``NotificationConfiguration`` -> boto3's (S3Key.Rules -> Key.FilterRules)."""
    _refuse_unknown(
        "bucket notification (S3 -> Lambda needs docker in moto: go through a queue)",
        configuration,
        {"QueueConfigurations", "TopicConfigurations", "EventBridgeConfiguration"},
    )
    out: dict[str, Any] = {}
    for kind, target in (("Queue", "QueueArn"), ("Topic", "TopicArn")):
        entries = []
        for entry in configuration.get(f"{kind}Configurations", []):
            _refuse_unknown(f"bucket {kind} notification", entry, {"Event", kind, "Filter"})
            item: dict[str, Any] = {target: entry[kind], "Events": [entry["Event"]]}
            if "Filter" in entry:
                item["Filter"] = _key_filter(entry["Filter"])
            entries.append(item)
        if entries:
            out[f"{kind}Configurations"] = entries
    if configuration.get("EventBridgeConfiguration", {}).get("EventBridgeEnabled"):
        out["EventBridgeConfiguration"] = {}
    return out


def _encryption(configuration: Mapping[str, Any]) -> dict[str, Any]:
    rules = []
    for rule in configuration["ServerSideEncryptionConfiguration"]:
        _refuse_unknown(
            "bucket encryption", rule, {"ServerSideEncryptionByDefault", "BucketKeyEnabled"}
        )
        out = {"ApplyServerSideEncryptionByDefault": rule["ServerSideEncryptionByDefault"]}
        if "BucketKeyEnabled" in rule:
            out["BucketKeyEnabled"] = rule["BucketKeyEnabled"]
        rules.append(out)
    return {"Rules": rules}


def _create_bucket(clients: _Clients, properties: Mapping[str, Any]) -> tuple[str, dict[str, Any]]:
    name = properties.get("BucketName")
    if not name:
        raise NotImplementedError("give every bucket a BucketName: local mode derives none")
    s3 = clients("s3")
    # Each property -> the call that applies it (None: applied by create_bucket).
    steps: dict[str, Callable[[Any], Any] | None] = {
        "BucketName": None,
        "BucketEncryption": lambda v: s3.put_bucket_encryption(
            Bucket=name, ServerSideEncryptionConfiguration=_encryption(v)
        ),
        "PublicAccessBlockConfiguration": lambda v: s3.put_public_access_block(
            Bucket=name, PublicAccessBlockConfiguration=v
        ),
        "OwnershipControls": lambda v: s3.put_bucket_ownership_controls(
            Bucket=name, OwnershipControls=v
        ),
        "VersioningConfiguration": lambda v: s3.put_bucket_versioning(
            Bucket=name, VersioningConfiguration=v
        ),
        "CorsConfiguration": lambda v: s3.put_bucket_cors(
            Bucket=name, CORSConfiguration={"CORSRules": cors_rules(v)}
        ),
        "LifecycleConfiguration": lambda v: s3.put_bucket_lifecycle_configuration(
            Bucket=name, LifecycleConfiguration={"Rules": lifecycle_rules(v)}
        ),
        "NotificationConfiguration": lambda v: s3.put_bucket_notification_configuration(
            Bucket=name, NotificationConfiguration=notification_configuration(v)
        ),
        "Tags": lambda v: s3.put_bucket_tagging(Bucket=name, Tagging={"TagSet": v}),
    }
    _refuse_unknown(f"bucket {name}", properties, set(steps))
    kwargs: dict[str, Any] = {"Bucket": name}
    if clients.region != "us-east-1":
        kwargs["CreateBucketConfiguration"] = {"LocationConstraint": clients.region}
    try:
        s3.create_bucket(**kwargs)
    except ClientError as error:
        if _error_code(error) != "BucketAlreadyOwnedByYou":
            raise
    for key, value in properties.items():
        step = steps[key]
        if step is not None:
            step(value)
    attributes = {
        "Arn": f"arn:aws:s3:::{name}",
        "DomainName": f"{name}.s3.amazonaws.com",
        "RegionalDomainName": f"{name}.s3.{clients.region}.amazonaws.com",
    }
    return name, attributes


# ---- Secrets Manager
_GENERATE_KEYS = frozenset(
    "SecretStringTemplate GenerateStringKey PasswordLength ExcludeCharacters "
    "ExcludeLowercase ExcludeNumbers ExcludePunctuation ExcludeUppercase IncludeSpace "
    "RequireEachIncludedType".split()
)


def _flag(value: Any) -> bool:
    return value is True or str(value).lower() == "true"


def generate_secret_string(spec: Mapping[str, Any]) -> str:
    """What Secrets Manager makes of ``GenerateSecretString``, from a CSPRNG (moto's is seeded)."""
    _refuse_unknown("GenerateSecretString", spec, _GENERATE_KEYS)
    classes = [
        "" if _flag(spec.get("ExcludeLowercase")) else string.ascii_lowercase,
        "" if _flag(spec.get("ExcludeUppercase")) else string.ascii_uppercase,
        "" if _flag(spec.get("ExcludeNumbers")) else string.digits,
        "" if _flag(spec.get("ExcludePunctuation")) else string.punctuation,
        " " if _flag(spec.get("IncludeSpace")) else "",
    ]
    excluded = set(spec.get("ExcludeCharacters", ""))
    classes = [c for c in ("".join(ch for ch in cls if ch not in excluded) for cls in classes) if c]
    alphabet = "".join(classes)
    length = int(spec.get("PasswordLength", 32))
    require_each = _flag(spec.get("RequireEachIncludedType", True))
    if not alphabet or (require_each and length < len(classes)):
        raise ValueError("GenerateSecretString leaves no way to build a password")
    while True:
        password = "".join(secrets.choice(alphabet) for _ in range(length))
        if not require_each or all(set(password) & set(cls) for cls in classes):
            break
    if "SecretStringTemplate" not in spec:
        return password
    document = json.loads(spec["SecretStringTemplate"])
    document[spec["GenerateStringKey"]] = password
    return json.dumps(document)


def _create_secret(clients: _Clients, properties: Mapping[str, Any]) -> tuple[str, dict[str, Any]]:
    name = properties.get("Name")
    if not name:
        raise NotImplementedError("give every secret a Name: local mode derives none")
    known = {"Name", "Description", "SecretString", "GenerateSecretString", "Tags"}
    _refuse_unknown(f"secret {name}", properties, known)
    manager = clients("secretsmanager")
    kwargs: dict[str, Any] = {"Name": name}
    if "SecretString" in properties:
        kwargs["SecretString"] = properties["SecretString"]
    elif "GenerateSecretString" in properties:
        kwargs["SecretString"] = generate_secret_string(properties["GenerateSecretString"])
    for key in ("Description", "Tags"):
        if key in properties:
            kwargs[key] = properties[key]
    try:
        arn = manager.create_secret(**kwargs)["ARN"]
    except ClientError as error:
        if _error_code(error) != "ResourceExistsException":
            raise
        arn = manager.describe_secret(SecretId=name)["ARN"]  # keep the keys it already holds
    return arn, {"Id": arn}


_CREATORS: dict[str, Callable[[_Clients, Mapping[str, Any]], tuple[str, dict[str, Any]]]] = {
    TABLE: _create_table,
    "AWS::SQS::Queue": _create_queue,
    "AWS::S3::Bucket": _create_bucket,
    "AWS::SecretsManager::Secret": _create_secret,
}
