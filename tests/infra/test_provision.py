"""infra/stack.yaml, read by infra.cfn and created in moto by infra.local.provision."""

from __future__ import annotations

import json
import textwrap
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import unquote_plus

import boto3
import pytest
from moto import mock_aws

from infra.cfn import STACK_PATH, Resolver, UnresolvedError, load_template
from infra.local.provision import (
    AWS_ONLY_TYPES,
    cors_rules,
    lifecycle_rules,
    notification_configuration,
    prepare_mail,
    provision,
)

STAGE = "test"
ORIGIN = "http://localhost:8000"
TEMPLATE = load_template()
TABLES = sorted(k for k, r in TEMPLATE["Resources"].items() if r["Type"] == "AWS::DynamoDB::Table")


@pytest.fixture(scope="module")
def boto_session() -> boto3.session.Session:
    # One session for the module: it caches the service models, which are most of the cost.
    return boto3.session.Session(region_name="us-east-1")


@pytest.fixture
def session(boto_session: boto3.session.Session) -> Iterator[boto3.session.Session]:
    with mock_aws():
        yield boto_session


@pytest.fixture
def stack(session: boto3.session.Session) -> dict[str, str]:
    return provision(session, stage=STAGE, site_origin=ORIGIN)


def _table_properties(logical_id: str) -> dict:
    return Resolver(TEMPLATE, {"Stage": STAGE}).resolve(
        TEMPLATE["Resources"][logical_id]["Properties"]
    )


def _bodies(sqs, queue_url: str) -> list[dict]:
    """Every message now in the queue, without S3's s3:TestEvent (sent when the notification
    configuration is put, in AWS as in moto)."""
    bodies = []
    while True:
        batch = sqs.receive_message(QueueUrl=queue_url, MaxNumberOfMessages=10).get("Messages", [])
        if not batch:
            return bodies
        bodies += [json.loads(m["Body"]) for m in batch]
        bodies = [b for b in bodies if b.get("Event") != "s3:TestEvent"]


# ---- the template and the resolver


@pytest.mark.parametrize(
    ("logical_id", "key", "name"),
    [
        ("UsersTable", "TableName", "dev-users"),
        ("UniquesTable", "TableName", "dev-uniques"),
        ("TokensTable", "TableName", "dev-tokens"),
        ("FilesBucket", "BucketName", "teamdrive-dev-files"),
        ("MediaQueue", "QueueName", "dev-media-events"),
        ("MediaDeadLetterQueue", "QueueName", "dev-media-events-dlq"),
        ("MailQueue", "QueueName", "dev-mail.fifo"),
        ("MailDeadLetterQueue", "QueueName", "dev-mail-dlq.fifo"),
        ("SigningKeySecret", "Name", "teamdrive/dev/signing-key"),
    ],
)
def test_names_derive_from_the_stage_as_the_settings_do(
    logical_id: str, key: str, name: str
) -> None:
    # chalicelib/config.py: table_name() is f"{stage}-{name}", and these are its defaults.
    resolver = Resolver(TEMPLATE)  # Stage defaults to dev
    assert resolver.resolve(TEMPLATE["Resources"][logical_id]["Properties"][key]) == name


def test_resources_come_after_what_they_refer_to() -> None:
    order = Resolver(TEMPLATE).ordered()
    assert order.index("MediaDeadLetterQueue") < order.index("MediaQueue")
    assert order.index("MediaQueuePolicy") < order.index("FilesBucket")
    assert order.index("FilesBucket") < order.index("FilesBucketPolicy")


def test_resolver_handles_sub_join_select_if_and_no_value(tmp_path: Path) -> None:
    path = tmp_path / "t.yaml"
    path.write_text(
        textwrap.dedent(
            """
            Parameters:
              Stage: {Type: String, Default: dev}
            Conditions:
              IsProd: !Equals [!Ref Stage, prod]
            Resources:
              Q:
                Type: AWS::SQS::Queue
                Properties:
                  QueueName: !Sub "${Stage}-q"
            Outputs:
              A: {Value: !Sub "${Q.Arn}/x ${AWS::Region} ${!Literal}"}
              B: {Value: !Join ["-", [a, !Select [1, !Split [",", "x,y"]]]]}
              C: {Value: !If [IsProd, big, small]}
              D: {Value: [one, !Ref AWS::NoValue]}
              E: {Value: !Sub ["${X}-${Stage}", {X: !GetAtt Q.QueueName}]}
            """
        )
    )
    template = load_template(path)
    resolver = Resolver(template, {"Stage": "dev"}, region="eu-west-1")
    with pytest.raises(UnresolvedError):
        resolver.outputs()
    resolver.define("Q", "url", Arn="arn:q", QueueName="dev-q")
    assert resolver.outputs() == {
        "A": "arn:q/x eu-west-1 ${Literal}",
        "B": "a-y",
        "C": "small",
        "D": ["one"],
        "E": "dev-q-dev",
    }


def test_parameters_are_checked_against_the_template() -> None:
    with pytest.raises(ValueError, match="AllowedPattern|does not match"):
        Resolver(TEMPLATE, {"Stage": "Not A Stage"})
    with pytest.raises(ValueError, match="unknown"):
        Resolver(TEMPLATE, {"Nope": "x"})


# ---- provisioning in moto


@pytest.mark.parametrize("logical_id", TABLES)
def test_tables_get_the_template_keys_ttl_and_recovery(
    session: boto3.session.Session, logical_id: str
) -> None:
    provision(session, stage=STAGE, site_origin=ORIGIN, tables_only=True)
    expected = _table_properties(logical_id)
    dynamodb = session.client("dynamodb")
    table = dynamodb.describe_table(TableName=expected["TableName"])["Table"]
    assert table["KeySchema"] == expected["KeySchema"]
    assert table["AttributeDefinitions"] == expected["AttributeDefinitions"]
    assert table["BillingModeSummary"]["BillingMode"] == "PAY_PER_REQUEST"
    ttl = dynamodb.describe_time_to_live(TableName=expected["TableName"])["TimeToLiveDescription"]
    if "TimeToLiveSpecification" in expected:
        assert ttl == {"TimeToLiveStatus": "ENABLED", "AttributeName": "expires_ttl"}
    else:
        assert ttl["TimeToLiveStatus"] == "DISABLED"
    backups = dynamodb.describe_continuous_backups(TableName=expected["TableName"])
    recovery = backups["ContinuousBackupsDescription"]["PointInTimeRecoveryDescription"]
    assert recovery["PointInTimeRecoveryStatus"] == "ENABLED"
    made = {
        index["IndexName"]: (index["KeySchema"], index["Projection"])
        for index in table.get("GlobalSecondaryIndexes", [])
    }
    assert made == {
        index["IndexName"]: (index["KeySchema"], index["Projection"])
        for index in expected.get("GlobalSecondaryIndexes", [])
    }


def _keys(schema: list[dict]) -> set[tuple[str, str]]:
    return {(key["AttributeName"], key["KeyType"]) for key in schema}


def test_the_models_keys_indexes_and_ttl_are_the_templates(settings_env) -> None:
    from pynamodb.attributes import TTLAttribute

    from chalicelib.models import ALL

    tables = {
        _table_properties(logical_id)["TableName"]: _table_properties(logical_id)
        for logical_id in TABLES
    }
    assert {model.Meta.table_name for model in ALL} == set(tables)
    for model in ALL:
        table, schema = tables[model.Meta.table_name], model._get_schema()
        assert _keys(schema["key_schema"]) == _keys(table["KeySchema"]), model
        indexes = schema.get("global_secondary_indexes", [])
        assert {index["index_name"]: _keys(index["key_schema"]) for index in indexes} == {
            index["IndexName"]: _keys(index["KeySchema"])
            for index in table.get("GlobalSecondaryIndexes", [])
        }, model
        ttl = [n for n, a in model.get_attributes().items() if isinstance(a, TTLAttribute)]
        if ttl:
            assert table["TimeToLiveSpecification"] == {"AttributeName": ttl[0], "Enabled": True}


def test_tables_only_creates_nothing_but_tables(session: boto3.session.Session) -> None:
    outputs = provision(session, stage=STAGE, site_origin=ORIGIN, tables_only=True)
    assert outputs["TokensTableName"] == "test-tokens"
    assert "MediaQueueUrl" not in outputs
    assert session.client("s3").list_buckets()["Buckets"] == []
    assert "QueueUrls" not in session.client("sqs").list_queues()


def test_outputs_name_every_resource(stack: dict[str, str]) -> None:
    assert stack["FilesBucketName"] == "teamdrive-test-files"
    assert stack["FilesBucketArn"] == "arn:aws:s3:::teamdrive-test-files"
    assert stack["MediaQueueUrl"].endswith("/test-media-events")
    assert stack["MediaQueueArn"].endswith(":test-media-events")
    assert stack["MediaDeadLetterQueueArn"].endswith(":test-media-events-dlq")
    assert stack["SigningKeySecretName"] == "teamdrive/test/signing-key"
    assert stack["SigningKeySecretArn"].startswith("arn:aws:secretsmanager:")


def _bucket_properties() -> dict:
    return Resolver(TEMPLATE, {"Stage": STAGE, "SiteOrigin": ORIGIN}).resolve(
        {
            k: v
            for k, v in TEMPLATE["Resources"]["FilesBucket"]["Properties"].items()
            if k != "NotificationConfiguration"
        }  # fmt: skip
    )


def test_bucket_cors_lifecycle_and_notification_filter_are_the_templates(session, stack) -> None:
    s3 = session.client("s3")
    bucket = stack["FilesBucketName"]
    expected = _bucket_properties()
    assert s3.get_bucket_cors(Bucket=bucket)["CORSRules"] == cors_rules(
        expected["CorsConfiguration"]
    )
    assert s3.get_bucket_lifecycle_configuration(Bucket=bucket)["Rules"] == lifecycle_rules(
        expected["LifecycleConfiguration"]
    )
    notification = TEMPLATE["Resources"]["FilesBucket"]["Properties"]["NotificationConfiguration"]
    (queue,) = s3.get_bucket_notification_configuration(Bucket=bucket)["QueueConfigurations"]
    (wanted,) = notification_configuration(notification)["QueueConfigurations"]
    assert queue["QueueArn"] == stack["MediaQueueArn"]
    assert queue["Events"] == wanted["Events"] == ["s3:ObjectCreated:*"]
    assert queue["Filter"]["Key"]["FilterRules"] == [{"Name": "prefix", "Value": "files/"}]
    assert wanted["Filter"]["Key"]["FilterRules"] == [{"Name": "prefix", "Value": "files/"}]


def test_bucket_cors_lets_the_site_read_etags(session, stack) -> None:
    rules = session.client("s3").get_bucket_cors(Bucket=stack["FilesBucketName"])["CORSRules"]
    assert rules == [
        {
            "AllowedHeaders": ["*"],
            "AllowedMethods": ["GET", "PUT", "HEAD"],
            "AllowedOrigins": [ORIGIN],
            "ExposeHeaders": ["ETag"],
            "MaxAgeSeconds": 3000,
        }
    ]


def test_bucket_aborts_incomplete_multipart_uploads_after_a_day(session, stack) -> None:
    s3 = session.client("s3")
    rules = s3.get_bucket_lifecycle_configuration(Bucket=stack["FilesBucketName"])["Rules"]
    assert [(r["Status"], r["Filter"], r["AbortIncompleteMultipartUpload"]) for r in rules] == [
        ("Enabled", {"Prefix": ""}, {"DaysAfterInitiation": 1})
    ]


def test_bucket_is_encrypted_and_private(session, stack) -> None:
    s3 = session.client("s3")
    encryption = s3.get_bucket_encryption(Bucket=stack["FilesBucketName"])
    rule = encryption["ServerSideEncryptionConfiguration"]["Rules"][0]
    assert rule["ApplyServerSideEncryptionByDefault"]["SSEAlgorithm"] == "AES256"
    block = s3.get_public_access_block(Bucket=stack["FilesBucketName"])
    assert all(block["PublicAccessBlockConfiguration"].values())


def test_uploads_under_files_reach_the_media_queue_and_thumbnails_do_not(session, stack) -> None:
    s3, sqs = session.client("s3"), session.client("sqs")
    s3.put_object(Bucket=stack["FilesBucketName"], Key="files/owner1/file1", Body=b"x")
    s3.put_object(Bucket=stack["FilesBucketName"], Key="thumbs/file1/256.webp", Body=b"x")
    bodies = _bodies(sqs, stack["MediaQueueUrl"])
    keys = [unquote_plus(r["s3"]["object"]["key"]) for b in bodies for r in b["Records"]]
    assert keys == ["files/owner1/file1"]
    assert bodies[0]["Records"][0]["eventName"].startswith("ObjectCreated:")


def test_media_queue_moves_a_message_to_the_dlq_after_three_receives(session, stack) -> None:
    sqs = session.client("sqs")
    queue = stack["MediaQueueUrl"]
    attributes = sqs.get_queue_attributes(QueueUrl=queue, AttributeNames=["All"])["Attributes"]
    assert attributes["VisibilityTimeout"] == "720"
    assert json.loads(attributes["RedrivePolicy"]) == {
        "deadLetterTargetArn": stack["MediaDeadLetterQueueArn"],
        "maxReceiveCount": 3,
    }
    sqs.purge_queue(QueueUrl=queue)
    sqs.send_message(QueueUrl=queue, MessageBody="poison")
    for _ in range(3):  # a handler that fails three times
        assert sqs.receive_message(QueueUrl=queue, VisibilityTimeout=0)["Messages"]
    assert "Messages" not in sqs.receive_message(QueueUrl=queue, VisibilityTimeout=0)
    dead = sqs.receive_message(QueueUrl=stack["MediaDeadLetterQueueUrl"])["Messages"]
    assert [m["Body"] for m in dead] == ["poison"]


def test_mail_queue_is_fifo_and_dead_letters_a_job_after_five_receives(session, stack) -> None:
    sqs = session.client("sqs")
    queue = stack["MailQueueUrl"]
    assert queue.endswith("/test-mail.fifo")
    attributes = sqs.get_queue_attributes(QueueUrl=queue, AttributeNames=["All"])["Attributes"]
    assert attributes["FifoQueue"] == "true"
    assert attributes["VisibilityTimeout"] == "90"
    assert json.loads(attributes["RedrivePolicy"]) == {
        "deadLetterTargetArn": stack["MailDeadLetterQueueArn"],
        "maxReceiveCount": 5,
    }
    first = {"MessageGroupId": "someone", "MessageDeduplicationId": "1"}
    sqs.send_message(QueueUrl=queue, MessageBody="undeliverable", **first)
    for _ in range(5):  # a mail function that fails five times
        assert sqs.receive_message(QueueUrl=queue, VisibilityTimeout=0)["Messages"]
    assert "Messages" not in sqs.receive_message(QueueUrl=queue, VisibilityTimeout=0)
    dead = sqs.receive_message(QueueUrl=stack["MailDeadLetterQueueUrl"])["Messages"]
    assert [m["Body"] for m in dead] == ["undeliverable"]


def test_signing_secret_names_its_current_key(session, stack) -> None:
    manager = session.client("secretsmanager")
    keys = json.loads(
        manager.get_secret_value(SecretId=stack["SigningKeySecretName"])["SecretString"]
    )
    assert keys["current"] == "k1"
    assert len(keys["k1"]) == 64 and keys["k1"].isalnum()


def test_provisioning_again_keeps_the_signing_key(session, stack) -> None:
    manager = session.client("secretsmanager")
    before = manager.get_secret_value(SecretId=stack["SigningKeySecretName"])["SecretString"]
    again = provision(session, stage=STAGE, site_origin=ORIGIN)
    assert again == stack
    assert (
        manager.get_secret_value(SecretId=stack["SigningKeySecretName"])["SecretString"] == before
    )


@pytest.mark.parametrize(
    ("resource", "message"),
    [
        pytest.param(
            """
            Type: AWS::DynamoDB::Table
            Properties:
              TableName: t
              KeySchema: [{AttributeName: k, KeyType: HASH}]
              AttributeDefinitions: [{AttributeName: k, AttributeType: S}]
              KinesisStreamSpecification: {StreamArn: arn}
            """,
            "KinesisStreamSpecification",
            id="table-property",
        ),
        pytest.param(
            """
            Type: AWS::S3::Bucket
            Properties:
              BucketName: b-b-b
              NotificationConfiguration:
                LambdaConfigurations: [{Event: "s3:ObjectCreated:*", Function: arn}]
            """,
            "LambdaConfigurations",
            id="bucket-lambda-notification",
        ),
        pytest.param("Type: AWS::Kinesis::Stream", "AWS::Kinesis::Stream", id="unknown-type"),
    ],
)
def test_what_local_mode_cannot_honour_is_refused(
    session: boto3.session.Session, tmp_path: Path, resource: str, message: str
) -> None:
    body = textwrap.indent(textwrap.dedent(resource).strip(), "    ")
    path = tmp_path / "t.yaml"
    path.write_text(
        f"Parameters:\n  Stage: {{Type: String}}\n  SiteOrigin: {{Type: String}}\n"
        f"Resources:\n  R:\n{body}\n"
    )
    with pytest.raises(NotImplementedError, match=message):
        provision(session, stage=STAGE, site_origin=ORIGIN, template_path=path)


def test_policies_are_skipped_locally(session: boto3.session.Session) -> None:
    # The template has both kinds; provisioning it whole must not fail on them.
    kinds = {r["Type"] for r in load_template(STACK_PATH)["Resources"].values()}
    assert {"AWS::S3::BucketPolicy", "AWS::SQS::QueuePolicy"} <= kinds
    provision(session, stage=STAGE, site_origin=ORIGIN)


def test_what_only_aws_has_is_skipped_with_its_outputs(stack) -> None:
    # CloudFront, the alarms, their topic and the dashboard exist in AWS only; the outputs
    # that name them are left out locally, and every other output is there.
    resources = TEMPLATE["Resources"]
    skipped = {k for k, r in resources.items() if r["Type"] in AWS_ONLY_TYPES}
    assert {"SiteDistribution", "AlarmTopic", "Dashboard", "MediaDeadLettersAlarm"} <= skipped
    assert "SiteDistributionId" not in stack and "AlarmTopicArn" not in stack
    assert stack["SiteBucketName"] == "teamdrive-test-site"
    assert set(stack) | {"SiteDistributionId", "SiteDistributionDomainName", "SiteUrl"} | {
        "AlarmTopicArn",
        "DashboardName",
    } == set(TEMPLATE["Outputs"])


def test_prepare_mail_verifies_the_sender_so_ses_accepts_mail(session) -> None:
    ses = session.client("ses")
    assert prepare_mail(ses, "teamdrive <no-reply@teamdrive.local>") == "no-reply@teamdrive.local"
    ses.send_email(
        Source="teamdrive <no-reply@teamdrive.local>",
        Destination={"ToAddresses": ["someone@example.com"]},
        Message={"Subject": {"Data": "s"}, "Body": {"Text": {"Data": "t"}}},
    )
    with pytest.raises(ValueError, match="not an email address"):
        prepare_mail(ses, "teamdrive")
