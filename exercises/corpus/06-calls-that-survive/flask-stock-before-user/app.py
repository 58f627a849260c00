"""Orders (exercise 06) in Flask.

Each peer is a Peer object holding its URL, a requests.Session and its circuit breaker. Peer.call() gives every
try a 1 s timeout, tries at most 3 times (0.1 s, then 0.3 s between tries) and repeats a POST only when it has an
Idempotency-Key. Inventory is asked first so that an order for an item that is sold out fails before anything else.
"""
import logging
import os
import threading
import time
import uuid

import requests
from flask import Flask, jsonify, request

logging.basicConfig(level=logging.WARNING)
log = logging.getLogger("orders")


class PeerUnavailable(Exception):
    pass


class Peer:
    WAITS = (0.1, 0.3)
    OPEN_AFTER = 5        # failures in a row
    OPEN_FOR = 2.0        # seconds before one trial call

    def __init__(self, name, url):
        self.name, self.url = name, url.rstrip("/")
        self.session = requests.Session()
        self.session.headers["x-caller"] = "orders"
        self._lock = threading.Lock()
        self._failures = 0
        self._open_since = None
        self._trial = False

    def _may_call(self):
        with self._lock:
            if self._open_since is None:
                return True
            if self._trial or time.monotonic() - self._open_since < self.OPEN_FOR:
                return False
            self._trial = True
            return True

    def _result(self, ok):
        with self._lock:
            if ok:
                self._failures, self._open_since, self._trial = 0, None, False
            else:
                self._failures += 1
                if self._trial or self._failures >= self.OPEN_AFTER:
                    self._open_since, self._trial = time.monotonic(), False

    def call(self, method, path, key=None, **kwargs):
        if key:
            kwargs["headers"] = {"Idempotency-Key": key}
        waits = self.WAITS if (method == "GET" or key) else ()
        for attempt in range(len(waits) + 1):
            if attempt:
                time.sleep(waits[attempt - 1])
            if not self._may_call():
                break
            try:
                r = self.session.request(method, self.url + path, timeout=1.0, **kwargs)
            except requests.RequestException as e:
                log.warning("%s %s%s: %s", method, self.name, path, e)
                self._result(False)
                continue
            if r.status_code >= 500:
                self._result(False)
                if r.status_code in (502, 503, 504):
                    continue
                break
            self._result(True)
            return r
        raise PeerUnavailable(f"{self.name} unavailable")


user = Peer("user", os.environ.get("USER_SERVICE_URL", "http://127.0.0.1:4001"))
inventory = Peer("inventory", os.environ.get("INVENTORY_SERVICE_URL", "http://127.0.0.1:4002"))
notification = Peer("notification", os.environ.get("NOTIFICATION_SERVICE_URL", "http://127.0.0.1:4004"))

app = Flask(__name__)
orders = {}
pending_confirmations = []


def confirm(order):
    try:
        notification.call("POST", "/send", key=f"confirm-{order['id']}",
                          json={"user_id": order["user_id"], "message": f"Order {order['id']} confirmed"})
        return True
    except PeerUnavailable:
        return False


def confirmations_loop():
    while True:
        time.sleep(2)
        for order in list(pending_confirmations):
            if confirm(order):
                pending_confirmations.remove(order)


threading.Thread(target=confirmations_loop, daemon=True).start()


def problem(status, detail):
    return jsonify(detail=detail), status


@app.route("/health")
def health():
    return jsonify(status="ok")


@app.route("/order", methods=["POST"])
def place_order():
    user_id = request.args.get("user_id")
    item_id = request.args.get("item_id")
    if not user_id or not item_id:
        return problem(422, "user_id and item_id are required")
    order_id = str(uuid.uuid4())

    # 1. take the stock (one step, once per order id)
    try:
        r = inventory.call("POST", "/reservations", key=f"reserve-{order_id}",
                           json={"order_id": order_id, "item_id": item_id, "quantity": 1})
    except PeerUnavailable as e:
        return problem(503, str(e))
    if r.status_code == 409:
        return problem(409, "Out of stock")
    if r.status_code == 404:
        return problem(404, "Item not found")
    if not r.ok:
        return problem(502, f"inventory answered {r.status_code}")

    # 2. the user
    try:
        r = user.call("GET", f"/users/{user_id}")
    except PeerUnavailable as e:
        return problem(503, str(e))
    if r.status_code == 404:
        return problem(404, "User not found")
    if not r.ok:
        return problem(502, f"user answered {r.status_code}")

    order = {"id": order_id, "user_id": user_id, "item_id": item_id, "quantity": 1}
    orders[order_id] = order
    if not confirm(order):
        pending_confirmations.append(order)
    return jsonify(order), 201


@app.route("/orders/<order_id>")
def get_order(order_id):
    order = orders.get(order_id)
    return jsonify(order) if order else problem(404, "Order not found")


@app.errorhandler(404)
def not_found(_e):
    return problem(404, "Not Found")


if __name__ == "__main__":
    app.run(host=os.environ.get("HOST", "127.0.0.1"), port=int(os.environ.get("PORT", "4003")), threaded=True)
