"""teamdrive's Chalice app: a wiring table of blueprints, event handlers and schedules."""

import os

from chalice import Chalice, Rate
from chalice.app import SQSEvent

from chalicelib.api import (
    admin,
    auth,
    devidp,
    health,
    http,
    nodes,
    shares,
    teams,
    trash,
    uploads,
    users,
)
from chalicelib.services import jobs, mail, media

# The stage's media and mail queues (infra/stack.yaml names them so); packaging sets STAGE.
MEDIA_QUEUE = f"{os.environ.get('STAGE', 'dev')}-media-events"
MAIL_QUEUE = f"{os.environ.get('STAGE', 'dev')}-mail.fifo"

app = Chalice(app_name="teamdrive")
app.debug = False
app.register_middleware(http.access_log, "http")
app.register_blueprint(auth.bp)
app.register_blueprint(users.bp)
app.register_blueprint(nodes.bp)
app.register_blueprint(uploads.bp)
app.register_blueprint(trash.bp)
app.register_blueprint(teams.bp)
app.register_blueprint(shares.bp)
app.register_blueprint(health.bp)
app.register_blueprint(admin.bp)
app.register_blueprint(devidp.bp)


@app.schedule(Rate(1, unit=Rate.HOURS), name="jobs_hourly")
def jobs_hourly(event: object) -> None:  # noqa: ARG001 - the schedule's event carries nothing
    jobs.hourly()


@app.schedule(Rate(2, unit=Rate.MINUTES), name="jobs_shares")
def jobs_shares(event: object) -> None:  # noqa: ARG001 - the schedule's event carries nothing
    jobs.every_two_minutes()


@app.schedule(Rate(1, unit=Rate.DAYS), name="jobs_daily")
def jobs_daily(event: object) -> None:  # noqa: ARG001 - the schedule's event carries nothing
    jobs.daily()


@app.on_sqs_message(queue=MEDIA_QUEUE, batch_size=1, name="media")
def media_events(event: SQSEvent) -> None:
    media.handle(record.body for record in event)


@app.on_sqs_message(queue=MAIL_QUEUE, batch_size=1, name="mail")
def mail_jobs(event: SQSEvent) -> None:
    mail.handle(record.body for record in event)
