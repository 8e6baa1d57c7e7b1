"""A tiny Chalice app standing in for app.py in the runner's tests: routes that set two cookies,
fail, echo and return bytes; an SQS handler for the local media queue; a one-minute schedule."""

from chalice import Chalice, Rate, Response

app = Chalice(app_name="sample")

RECEIVED: list[str] = []  # SQS bodies the handler was given, in order
TICKS: list[dict] = []  # scheduled events


@app.route("/hello")
def hello() -> dict:
    return {"hello": "world"}


@app.route("/cookies")
def cookies() -> Response:
    headers = {"Set-Cookie": ["a=1; Path=/; HttpOnly", "b=2; Path=/"], "X-Extra": "yes"}
    return Response(body={"ok": True}, headers=headers, status_code=200)


@app.route("/boom")
def boom() -> dict:
    raise RuntimeError("this route always fails")


@app.route("/echo/{name}", methods=["POST"])
def echo(name: str) -> dict:
    request = app.current_request
    return {
        "name": name,
        "query": request.query_params,
        "body": request.json_body,
        "path": request.context["path"],
    }


@app.route("/bytes")
def raw_bytes() -> Response:
    return Response(body=b"\x00\x01\xff", headers={"Content-Type": "application/octet-stream"})


@app.on_sqs_message(queue="local-media-events")
def on_media(event) -> None:
    for record in event:
        RECEIVED.append(record.body)
        if "please-fail" in record.body:
            raise RuntimeError("asked to fail")


MAILED: list[str] = []  # bodies the mail handler was given, in order


@app.on_sqs_message(queue="local-mail.fifo", name="mail")
def on_mail(event) -> None:
    MAILED.extend(record.body for record in event)


@app.schedule(Rate(1, unit=Rate.MINUTES))
def every_minute(event) -> None:
    TICKS.append(event.to_dict())
