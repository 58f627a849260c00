# Orders service for exercise 06 (Flask).
# One requests.Session for all calls; with_retries() gives each call a (0.5, 1.0) timeout, 3 tries with a growing
# pause (0.2 s, 0.4 s), and goes through the peer's circuit breaker. Confirmations go through a queue that a
# worker thread sends in the background, retrying every second with the same Idempotency-Key.
import os
import queue
import threading
import time
import uuid

import requests
from flask import Flask, jsonify, request

USER_URL = os.environ.get("USER_SERVICE_URL", "http://127.0.0.1:4001")
INVENTORY_URL = os.environ.get("INVENTORY_SERVICE_URL", "http://127.0.0.1:4002")
NOTIFICATION_URL = os.environ.get("NOTIFICATION_SERVICE_URL", "http://127.0.0.1:4004")

app = Flask(__name__)
http = requests.Session()
http.headers.update({"x-caller": "orders"})

TIMEOUT = (0.5, 1.0)
PAUSES = [0.2, 0.4]          # before the 2nd and the 3rd try


class Circuit:
    FAILS_TO_OPEN = 5
    OPEN_FOR = 2.5

    def __init__(self):
        self._lock = threading.Lock()
        self.fails = 0
        self.opened = None       # time it opened, None when closed
        self.probe = False

    def may_call(self):
        with self._lock:
            if self.opened is None:
                return True
            if self.probe or time.time() - self.opened < self.OPEN_FOR:
                return False
            self.probe = True
            return True

    def ok(self):
        with self._lock:
            self.fails, self.opened, self.probe = 0, None, False

    def failed(self):
        with self._lock:
            self.fails += 1
            if self.probe or self.fails >= self.FAILS_TO_OPEN:
                self.opened, self.probe = time.time(), False


circuits = {"user": Circuit(), "inventory": Circuit(), "notification": Circuit()}


class Unavailable(Exception):
    def __init__(self, peer):
        self.peer = peer


def with_retries(peer, method, url, idempotency_key=None, **kwargs):
    if method != "GET" and not idempotency_key:
        pauses = []              # a write without a key is tried once
    else:
        pauses = PAUSES
    if idempotency_key:
        kwargs["headers"] = {"Idempotency-Key": idempotency_key}
    circuit = circuits[peer]
    for i in range(len(pauses) + 1):
        if i > 0:
            time.sleep(pauses[i - 1])
        if not circuit.may_call():
            raise Unavailable(peer)
        try:
            resp = http.request(method, url, timeout=TIMEOUT, **kwargs)
        except (requests.Timeout, requests.ConnectionError):
            circuit.failed()
            continue
        if resp.status_code in (502, 503, 504):
            circuit.failed()
            continue
        if resp.status_code >= 500:
            circuit.failed()
            raise Unavailable(peer)
        circuit.ok()
        return resp
    raise Unavailable(peer)


ORDERS = {}
confirmations = queue.Queue()


def confirmation_worker():
    while True:
        order = confirmations.get()
        while True:
            try:
                with_retries("notification", "POST", NOTIFICATION_URL + "/send",
                             idempotency_key="confirm-" + order["id"],
                             json={"user_id": order["user_id"],
                                   "message": "Order %s: 1 x %s is on its way" % (order["id"], order["item_id"])})
                break
            except Unavailable:
                time.sleep(1)


threading.Thread(target=confirmation_worker, daemon=True).start()


def error(status, detail):
    return jsonify(detail=detail), status


@app.get("/health")
def health():
    return jsonify(status="ok")


@app.post("/order")
def create_order():
    user_id = request.args.get("user_id")
    item_id = request.args.get("item_id")
    if not user_id or not item_id:
        return error(422, "user_id and item_id are required")

    try:
        user = with_retries("user", "GET", "%s/users/%s" % (USER_URL, user_id))
    except Unavailable:
        return error(503, "user unavailable")
    if user.status_code == 404:
        return error(404, "User not found")
    if not user.ok:
        return error(502, "user answered %d" % user.status_code)

    order_id = str(uuid.uuid4())
    try:
        reservation = with_retries("inventory", "POST", INVENTORY_URL + "/reservations",
                                   idempotency_key="reserve-" + order_id,
                                   json={"order_id": order_id, "item_id": item_id, "quantity": 1})
    except Unavailable:
        return error(503, "inventory unavailable")
    if reservation.status_code == 409:
        return error(409, "Out of stock")
    if reservation.status_code == 404:
        return error(404, "Item not found")
    if not reservation.ok:
        return error(502, "inventory answered %d" % reservation.status_code)

    order = {"id": order_id, "user_id": user_id, "item_id": item_id, "quantity": 1}
    ORDERS[order_id] = order
    confirmations.put(order)
    return jsonify(order), 201


@app.get("/orders/<order_id>")
def get_order(order_id):
    if order_id not in ORDERS:
        return error(404, "Order not found")
    return jsonify(ORDERS[order_id])


@app.errorhandler(404)
def not_found(_e):
    return error(404, "Not Found")


@app.errorhandler(405)
def not_allowed(_e):
    return error(405, "Method Not Allowed")


if __name__ == "__main__":
    app.run(host=os.environ.get("HOST", "127.0.0.1"), port=int(os.environ.get("PORT", "4003")), threaded=True)
