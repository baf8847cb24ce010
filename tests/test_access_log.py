"""The access log of `chuangkou serve`: gunicorn's lines, built from only the atoms the format
names (chuangkou.access_log)."""

import argparse
import datetime as dt

import pytest
from gunicorn import glogging
from gunicorn.config import Config

from chuangkou.access_log import AccessLogger
from chuangkou.cli import gunicorn_command


class Response:
    status = "200 OK"
    sent = 312
    headers = [("Content-Type", "application/json"), ("X-Trace", "t-1")]


class Request:
    headers = [("HOST", "127.0.0.1:8000"), ("X-CSRFTOKEN", "b" * 32)]


ENVIRON = {
    "REQUEST_METHOD": "POST",
    "RAW_URI": '/api/v1/exams/attempts/12/submit?q="x"',
    "PATH_INFO": "/api/v1/exams/attempts/12/submit",
    "QUERY_STRING": 'q="x"',
    "SERVER_PROTOCOL": "HTTP/1.1",
    "REMOTE_ADDR": "10.1.2.3",
    "HTTP_REFERER": "http://127.0.0.1:8000/exams/",
    "HTTP_USER_AGENT": 'Mozilla/5.0 "quoted"',
    "HTTP_HOST": "127.0.0.1:8000",
    "wsgi.url_scheme": "http",
}


def lines(logger_class, tmp_path, access_format: str | None = None) -> list[str]:
    cfg = Config()
    path = tmp_path / f"{logger_class.__name__}.log"
    cfg.set("accesslog", str(path))
    if access_format:
        cfg.set("access_log_format", access_format)
    logger = logger_class(cfg)
    logger.now = lambda: "[05/Dec/2026:15:00:00 +0800]"
    logger.access(Response, Request, ENVIRON, dt.timedelta(seconds=1, microseconds=2345))
    for handler in logger.access_log.handlers:
        handler.close()
    return path.read_text().splitlines()


@pytest.mark.parametrize(
    "access_format",
    [
        None,  # gunicorn's default
        '%(h)s %(l)s %(u)s %(t)s "%(r)s" %(s)s %(b)s "%(f)s" "%(a)s" %(m)s %(U)s %(q)s %(H)s '
        "%(B)s %(T)s %(D)s %(M)s %(L)s %(x)s",
        '%(h)s "%(a)s" %({x-trace}o)s %({host}i)s %({wsgi.url_scheme}e)s',  # all atoms: gunicorn's
    ],
)
def test_the_lines_are_gunicorns(tmp_path, access_format):
    ours = lines(AccessLogger, tmp_path, access_format)
    theirs = lines(glogging.Logger, tmp_path, access_format)
    assert ours == theirs and len(ours) == 1
    assert '\\"quoted\\"' in ours[0]  # quotes escaped as gunicorn does


def test_a_changed_format_is_used(tmp_path):
    cfg = Config()
    cfg.set("accesslog", str(tmp_path / "access.log"))
    logger = AccessLogger(cfg)
    logger.access(Response, Request, ENVIRON, dt.timedelta(seconds=1))
    cfg.set("access_log_format", "%(s)s %(m)s")  # as a reload would
    logger.access(Response, Request, ENVIRON, dt.timedelta(seconds=1))
    for handler in logger.access_log.handlers:
        handler.close()
    assert (tmp_path / "access.log").read_text().splitlines()[1] == "200 POST"


def test_serve_logs_through_it():
    command = gunicorn_command(argparse.Namespace(host="127.0.0.1", port=8000, workers=2))
    assert command[command.index("--logger-class") + 1] == "chuangkou.access_log.AccessLogger"
    assert command[command.index("--access-logfile") + 1] == "-"
