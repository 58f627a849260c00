"""orders -- exercise 06, Flask.

Retries are not hand-written: the requests.Session mounts an HTTPAdapter with urllib3's Retry, which retries
timeouts, refused/reset connections and 502/503/504 for us with exponential backoff. allowed_methods=None because
by default Retry never repeats a POST; ours carry an Idempotency-Key, so they are safe to repeat.
"""
import os
import threading
import time
import uuid

import requests
from flask import Flask, jsonify, request
from requests.adapters import HTTPAdapter
from urllib3.util.retry import Retry

USER = os.environ.get("USER_SERVICE_URL", "http://127.0.0.1:4001")
INVENTORY = os.environ.get("INVENTORY_SERVICE_URL", "http://127.0.0.1:4002")
NOTIFICATION = os.environ.get("NOTIFICATION_SERVICE_URL", "http://127.0.0.1:4004")

retry = Retry(
    total=2,                        # 3 tries in all
    backoff_factor=0.2,             # 0.2 * 2**n between tries
    status_forcelist=[502, 503, 504],
    allowed_methods=None,           # POST too (every write we send has an Idempotency-Key)
)
session = requests.Session()
session.mount("http://", HTTPAdapter(max_retries=retry))
session.mount("https://", HTTPAdapter(max_retries=retry))
session.headers["x-caller"] = "orders"
TIMEOUT = (0.5, 1)


class CircuitOpen(Exception):
    pass


class CircuitBreaker:
    def __init__(self, name, failure_threshold=5, recovery_timeout=4.0):
        self.name = name
        self.failure_threshold = failure_threshold
        self.recovery_timeout = recovery_timeout
        self.failure_count = 0
        self.state = "CLOSED"
        self.opened_at = 0.0
        self.lock = threading.Lock()

    def call(self, fn, *args, **kwargs):
        with self.lock:
            if self.state == "OPEN":
                if time.monotonic() - self.opened_at < self.recovery_timeout:
                    raise CircuitOpen(self.name)
                self.state = "HALF_OPEN"
            elif self.state == "HALF_OPEN":
                raise CircuitOpen(self.name)
        try:
            resp = fn(*args, **kwargs)
            if resp.status_code >= 500:
                raise requests.HTTPError(f"{self.name} answered {resp.status_code}", response=resp)
        except requests.RequestException:
            with self.lock:
                self.failure_count += 1
                if self.state == "HALF_OPEN" or self.failure_count >= self.failure_threshold:
                    self.state = "OPEN"
                    self.opened_at = time.monotonic()
            raise
        with self.lock:
            self.failure_count = 0
            self.state = "CLOSED"
        return resp


breakers = {name: CircuitBreaker(name) for name in ("user", "inventory", "notification")}


def call(peer, method, url, **kwargs):
    """-> the response, or None when the peer is unavailable (gave up, or circuit open)"""
    try:
        return breakers[peer].call(session.request, method, url, timeout=TIMEOUT, **kwargs)
    except (requests.RequestException, CircuitOpen) as e:   # RetryError, ConnectionError, Timeout, HTTPError
        app.logger.warning("%s %s: %r", method, url, e)
        return None


app = Flask(__name__)
orders = {}
unsent = {}


def confirm(order):
    r = call("notification", "POST", f"{NOTIFICATION}/send",
             json={"user_id": order["user_id"], "message": f"Order {order['id']} confirmed"},
             headers={"Idempotency-Key": f"confirm-{order['id']}"})
    if r is not None and r.ok:
        unsent.pop(order["id"], None)
        return True
    unsent[order["id"]] = order
    return False


def resend_loop():
    while True:
        time.sleep(2)
        for order in list(unsent.values()):
            confirm(order)


threading.Thread(target=resend_loop, daemon=True).start()


def fail(status, detail):
    return jsonify({"detail": detail}), status


@app.route("/health")
def health():
    return jsonify({"status": "ok"})


@app.route("/order", methods=["POST"])
def order():
    user_id, item_id = request.args.get("user_id"), request.args.get("item_id")
    if not user_id or not item_id:
        return fail(422, "user_id and item_id are required")

    r = call("user", "GET", f"{USER}/users/{user_id}")
    if r is None:
        return fail(503, "user unavailable")
    if r.status_code == 404:
        return fail(404, "User not found")
    if not r.ok:
        return fail(502, f"user answered {r.status_code}")

    order_id = uuid.uuid4().hex
    r = call("inventory", "POST", f"{INVENTORY}/reservations",
             json={"order_id": order_id, "item_id": item_id, "quantity": 1},
             headers={"Idempotency-Key": f"reserve-{order_id}"})
    if r is None:
        return fail(503, "inventory unavailable")
    if r.status_code == 409:
        return fail(409, "Out of stock")
    if r.status_code == 404:
        return fail(404, "Item not found")
    if not r.ok:
        return fail(502, f"inventory answered {r.status_code}")

    new = {"id": order_id, "user_id": user_id, "item_id": item_id, "quantity": 1}
    orders[order_id] = new
    threading.Thread(target=confirm, args=(new,), daemon=True).start()
    return jsonify(new), 201


@app.route("/orders/<order_id>")
def get_order(order_id):
    if order_id not in orders:
        return fail(404, "Order not found")
    return jsonify(orders[order_id])


@app.errorhandler(404)
def not_found(_):
    return fail(404, "Not Found")


if __name__ == "__main__":
    app.run(host=os.environ.get("HOST", "127.0.0.1"), port=int(os.environ.get("PORT", 4003)), threaded=True)
