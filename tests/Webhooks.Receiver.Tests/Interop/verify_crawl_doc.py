"""The crawl document's Python verifier, with X-Orsa-* renamed to X-Webhook-*.

stdin: {"body": "...", "secret": "whsec_...", "headers": {...}}; prints {"ok": true|false}.
The Flask handler passes request.get_data(as_text=True), i.e. the raw body decoded as UTF-8.
"""
import hashlib
import hmac
import json
import sys


def verify_webhook(payload: str, signature: str, timestamp: str, secret: str) -> bool:
    signed_content = f"{timestamp}.{payload}"
    expected = hmac.new(secret.encode(), signed_content.encode(), hashlib.sha256).hexdigest()
    return hmac.compare_digest(signature, expected)


def main() -> None:
    request = json.loads(sys.stdin.buffer.read().decode("utf-8"))
    headers = {name.lower(): value for name, value in request["headers"].items()}
    ok = verify_webhook(
        request["body"], headers["x-webhook-signature"], headers["x-webhook-timestamp"], request["secret"]
    )
    print(json.dumps({"ok": ok}))


if __name__ == "__main__":
    main()
