"""teamdrive's Chalice app: a wiring table of blueprints, event handlers and schedules."""

from chalice import Chalice, Rate

from chalicelib.api import auth, health, http, nodes, trash, uploads, users
from chalicelib.services import jobs

app = Chalice(app_name="teamdrive")
app.debug = False
app.register_middleware(http.access_log, "http")
app.register_blueprint(auth.bp)
app.register_blueprint(users.bp)
app.register_blueprint(nodes.bp)
app.register_blueprint(uploads.bp)
app.register_blueprint(trash.bp)
app.register_blueprint(health.bp)


@app.schedule(Rate(1, unit=Rate.HOURS), name="jobs_hourly")
def jobs_hourly(event: object) -> None:  # noqa: ARG001 - the schedule's event carries nothing
    jobs.hourly()


@app.schedule(Rate(1, unit=Rate.DAYS), name="jobs_daily")
def jobs_daily(event: object) -> None:  # noqa: ARG001 - the schedule's event carries nothing
    jobs.daily()
