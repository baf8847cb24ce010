"""Channels behind one interface: `send(message) -> Result`. Which ones run is a setting:

    NOTIFY_CHANNELS = ["log", "browser"]      # default (demo, tests): nothing leaves the machine
    NOTIFY_CHANNELS = ["sms", "browser", "webpush"]

`log` records what would have been sent (the admin page shows it); `sms` posts to a cloud SMS
gateway's template API (Aliyun dysms here; another provider is one more class with the same
`send`); `wechat` sends a WeChat subscription message; `browser` is picked up by the ticket's open
phone page (the page polls and shows a Notification); `webpush` pushes to the browser's push
service with the VAPID key kept in the data folder.
"""

import base64
import datetime as dt
import hashlib
import hmac
import json
import logging
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from dataclasses import dataclass

from django.conf import settings

from . import vapid
from .models import Message

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Result:
    ok: bool
    detail: str = ""
    retry: bool = True  # a failure worth another try (timeout, 5xx, throttling)
    ref: str = ""


class Channel:
    code: str = ""

    def send(self, message: Message) -> Result:  # pragma: no cover - interface
        raise NotImplementedError


class LogChannel(Channel):
    """演示/测试: nothing is sent; the row itself is the record shown on the admin page."""

    code = Message.Channel.LOG

    def send(self, message: Message) -> Result:
        log.info("notify log %s → %s: %s", message.kind, message.recipient_masked, message.body)
        return Result(True, "已记录（演示渠道，未实际发送）")


class BrowserChannel(Channel):
    """The ticket's phone page fetches pending notices while it is open (views.pending)."""

    code = Message.Channel.BROWSER

    def send(self, message: Message) -> Result:
        return Result(True, "页面已取走")


def _config(name: str) -> dict:
    return getattr(settings, name, {}) or {}


def _http(request: urllib.request.Request, timeout: float) -> tuple[int, bytes]:
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310
            return response.status, response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read()


# -- SMS ---------------------------------------------------------------------------------------


def _percent(value: str) -> str:
    """Aliyun's POP percent-encoding (RFC 3986: space %20, * %2A, ~ kept)."""
    return urllib.parse.quote(str(value), safe="~")


def aliyun_signed_query(params: dict, secret: str, method: str = "GET") -> str:
    """The query string of an Aliyun RPC call with its HMAC-SHA1 signature (signature v1.0)."""
    canonical = "&".join(f"{_percent(k)}={_percent(v)}" for k, v in sorted(params.items()))
    to_sign = f"{method}&{_percent('/')}&{_percent(canonical)}"
    digest = hmac.new(f"{secret}&".encode(), to_sign.encode(), hashlib.sha1).digest()
    signature = base64.b64encode(digest).decode()
    return f"Signature={_percent(signature)}&{canonical}"


# dysms codes after which a retry cannot help
ALIYUN_PERMANENT = {
    "isv.MOBILE_NUMBER_ILLEGAL",
    "isv.SMS_TEMPLATE_ILLEGAL",
    "isv.SMS_SIGNATURE_ILLEGAL",
    "isv.TEMPLATE_MISSING_PARAMETERS",
    "isv.INVALID_PARAMETERS",
    "isv.BLACK_KEY_CONTROL_LIMIT",
    "isv.PARAM_LENGTH_LIMIT",
    "isv.AMOUNT_NOT_ENOUGH",
    "isv.ACCOUNT_NOT_EXISTS",
    "SignatureDoesNotMatch",
    "InvalidAccessKeyId.NotFound",
}


class AliyunSms(Channel):
    """阿里云短信 SendSms (API version 2017-05-25): template code + JSON parameters, signed."""

    code = Message.Channel.SMS

    def __init__(self, config: dict | None = None):
        self.config = config or _config("NOTIFY_SMS")

    def params(self, message: Message, template_code: str) -> dict:
        c = self.config
        return {
            "AccessKeyId": c.get("ACCESS_KEY_ID", ""),
            "Action": "SendSms",
            "Format": "JSON",
            "PhoneNumbers": message.recipient,
            "RegionId": c.get("REGION", "cn-hangzhou"),
            "SignName": c.get("SIGN_NAME", "政务服务中心"),
            "SignatureMethod": "HMAC-SHA1",
            "SignatureNonce": uuid.uuid4().hex,
            "SignatureVersion": "1.0",
            "TemplateCode": template_code,
            "TemplateParam": json.dumps(message.fields, ensure_ascii=False),
            "Timestamp": dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
            "Version": "2017-05-25",
        }

    def send(self, message: Message) -> Result:
        from .templates_db import gateway_code

        template_code = gateway_code(message.kind)
        if not template_code:
            return Result(False, "未配置短信模板编号", retry=False)
        endpoint = self.config.get("ENDPOINT", "https://dysmsapi.aliyuncs.com/")
        query = aliyun_signed_query(
            self.params(message, template_code), self.config.get("ACCESS_KEY_SECRET", "")
        )
        request = urllib.request.Request(f"{endpoint}?{query}", method="GET")  # noqa: S310
        try:
            status, body = _http(request, float(self.config.get("TIMEOUT", 5)))
        except (TimeoutError, OSError) as exc:
            return Result(False, f"网关无响应：{type(exc).__name__}"[:200])
        try:
            answer = json.loads(body.decode("utf-8"))
        except (ValueError, UnicodeDecodeError):
            return Result(False, f"网关返回 HTTP {status}，内容无法解析", retry=status >= 500)
        code = str(answer.get("Code", ""))
        if status == 200 and code == "OK":
            return Result(True, "网关已受理", ref=str(answer.get("BizId", ""))[:60])
        detail = f"{code or status}: {answer.get('Message', '')}"[:200]
        return Result(False, detail, retry=code not in ALIYUN_PERMANENT)


SMS_PROVIDERS = {"aliyun": AliyunSms}  # 腾讯云短信: one more class with the same `send`


# -- WeChat subscription messages -----------------------------------------------------------------


class WechatSubscribe(Channel):
    """微信订阅消息 (subscribeMessage.send): the template's fields map to the data keys."""

    code = Message.Channel.WECHAT
    _token: tuple[str, float] | None = None

    def __init__(self, config: dict | None = None):
        self.config = config or _config("NOTIFY_WECHAT")

    def _api(self) -> str:
        return self.config.get("API", "https://api.weixin.qq.com").rstrip("/")

    def access_token(self, timeout: float) -> str:
        cached = WechatSubscribe._token
        if cached and cached[1] > time.monotonic():
            return cached[0]
        query = urllib.parse.urlencode(
            {
                "grant_type": "client_credential",
                "appid": self.config.get("APP_ID", ""),
                "secret": self.config.get("APP_SECRET", ""),
            }
        )
        request = urllib.request.Request(f"{self._api()}/cgi-bin/token?{query}")  # noqa: S310
        _, body = _http(request, timeout)
        answer = json.loads(body.decode("utf-8"))
        token = answer.get("access_token", "")
        if token:
            expires = time.monotonic() + int(answer.get("expires_in", 7200)) - 300
            WechatSubscribe._token = (token, expires)
        return token

    def send(self, message: Message) -> Result:
        template = self.config.get("TEMPLATES", {}).get(message.kind)
        if not template:
            return Result(False, "未配置微信订阅消息模板", retry=False)
        timeout = float(self.config.get("TIMEOUT", 5))
        keys = template.get("fields", {})
        data = {keys.get(k, k): {"value": str(v)[:20]} for k, v in message.fields.items()}
        payload = {"touser": message.recipient, "template_id": template["template_id"]}
        payload["data"] = data
        try:
            token = self.access_token(timeout)
            if not token:
                return Result(False, "取不到 access_token")
            url = f"{self._api()}/cgi-bin/message/subscribe/send?access_token={token}"
            request = urllib.request.Request(  # noqa: S310
                url,
                data=json.dumps(payload, ensure_ascii=False).encode(),
                headers={"Content-Type": "application/json"},
                method="POST",
            )
            status, body = _http(request, timeout)
            answer = json.loads(body.decode("utf-8"))
        except (TimeoutError, OSError, ValueError, UnicodeDecodeError) as exc:
            return Result(False, f"微信接口异常：{type(exc).__name__}")
        errcode = answer.get("errcode", -1)
        if errcode == 0:
            return Result(True, "微信已受理", ref=str(answer.get("msgid", ""))[:60])
        # 43101: the user refused or used up the subscription; 40003: bad openid
        permanent = errcode in (43101, 40003, 40037, 47003)
        return Result(False, f"{errcode}: {answer.get('errmsg', '')}"[:200], retry=not permanent)


# -- Web Push ----------------------------------------------------------------------------------


class WebPush(Channel):
    """Web Push (RFC 8030/8291) with the VAPID key from the data folder, through pywebpush."""

    code = Message.Channel.WEBPUSH

    def send(self, message: Message) -> Result:
        try:
            from pywebpush import WebPushException, webpush
        except ImportError:  # pragma: no cover - pywebpush is a dependency
            return Result(False, "未安装 pywebpush", retry=False)
        endpoints = list(message.subscription.push_endpoints.all()) if message.subscription else []
        if not endpoints:
            return Result(False, "没有浏览器推送订阅", retry=False)
        sent = 0
        detail = ""
        for endpoint in endpoints:
            info = {"endpoint": endpoint.endpoint, "keys": {"p256dh": endpoint.p256dh}}
            info["keys"]["auth"] = endpoint.auth
            try:
                webpush(
                    info,
                    json.dumps({"title": "排队提醒", "body": message.body}, ensure_ascii=False),
                    vapid_private_key=str(vapid.private_key_path()),
                    vapid_claims={"sub": getattr(settings, "NOTIFY_VAPID_SUBJECT", "")},
                    timeout=5,
                )
                sent += 1
            except WebPushException as exc:
                code = getattr(exc.response, "status_code", 0)
                if code in (404, 410):  # the browser dropped the subscription
                    endpoint.delete()
                detail = f"推送服务返回 {code}"
            except Exception as exc:  # noqa: BLE001 - a push service is outside our control
                detail = f"推送失败：{type(exc).__name__}"
        if sent:
            return Result(True, f"已推送到 {sent} 个浏览器")
        return Result(False, detail or "推送失败")


def channel(code: str) -> Channel:
    if code == Message.Channel.SMS:
        provider = _config("NOTIFY_SMS").get("PROVIDER", "aliyun")
        return SMS_PROVIDERS[provider]()
    return {
        Message.Channel.LOG: LogChannel,
        Message.Channel.BROWSER: BrowserChannel,
        Message.Channel.WECHAT: WechatSubscribe,
        Message.Channel.WEBPUSH: WebPush,
    }[code]()


def enabled() -> list[str]:
    return list(getattr(settings, "NOTIFY_CHANNELS", ["log", "browser"]))
