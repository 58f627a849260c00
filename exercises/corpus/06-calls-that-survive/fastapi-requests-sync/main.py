"""Orders (exercise 06): sync FastAPI + requests.

Every call goes through call(): a (0.5 s connect, 1 s read) timeout, at most 4 tries with 100/200/400 ms between
them, all inside a 3.5 s budget per order, and a circuit breaker per peer (5 failures in a row -> open for 2 s,
then one trial call). A write is retried only when it carries an Idempotency-Key.
"""
import logging
import os
import threading
import time
import uuid

import requests
from fastapi import FastAPI, HTTPException

USER = os.environ.get("USER_SERVICE_URL", "http://127.0.0.1:4001").rstrip("/")
INVENTORY = os.environ.get("INVENTORY_SERVICE_URL", "http://127.0.0.1:4002").rstrip("/")
NOTIFICATION = os.environ.get("NOTIFICATION_SERVICE_URL", "http://127.0.0.1:4004").rstrip("/")

CONNECT_TIMEOUT = 0.5
READ_TIMEOUT = 1.0
MAX_TRIES = 4            # the first try and 3 retries
BASE_WAIT = 0.1          # 0.1, 0.2, 0.4
ORDER_BUDGET = 3.5       # all the calls of one order, retries included
RETRY_ON = {502, 503, 504}

log = logging.getLogger("orders")
app = FastAPI(title="orders")
session = requests.Session()
session.headers["x-caller"] = "orders"


class CircuitBreaker:
    def __init__(self, name, threshold=5, pause=2.0):
        self.name = name
        self.threshold = threshold
        self.pause = pause
        self.failures = 0
        self.opened_at = None
        self.trial_running = False
        self.lock = threading.Lock()

    def allow(self):
        with self.lock:
            if self.opened_at is None:
                return True
            if time.monotonic() - self.opened_at < self.pause or self.trial_running:
                return False
            self.trial_running = True     # half-open: this one call is the trial
            return True

    def record_success(self):
        with self.lock:
            self.failures = 0
            self.opened_at = None
            self.trial_running = False

    def record_failure(self):
        with self.lock:
            self.failures += 1
            if self.trial_running or self.failures >= self.threshold:
                self.opened_at = time.monotonic()
                self.trial_running = False
                log.warning("circuit to %s open", self.name)


breakers = {name: CircuitBreaker(name) for name in ("user", "inventory", "notification")}


class PeerUnavailable(Exception):
    def __init__(self, peer):
        super().__init__(peer)
        self.peer = peer


def call(peer, method, url, deadline, **kwargs):
    """One logical call to a peer: returns the response of the first try that got a real answer."""
    breaker = breakers[peer]
    headers = kwargs.get("headers") or {}
    tries = MAX_TRIES if method == "GET" or "Idempotency-Key" in headers else 1
    for attempt in range(tries):
        if attempt:
            wait = BASE_WAIT * 2 ** (attempt - 1)
            if time.monotonic() + wait + 0.2 > deadline:
                break                       # no time left for another try
            time.sleep(wait)
        if not breaker.allow():
            break
        read_timeout = max(0.1, min(READ_TIMEOUT, deadline - time.monotonic()))
        try:
            r = session.request(method, url, timeout=(CONNECT_TIMEOUT, read_timeout), **kwargs)
        except requests.RequestException as e:   # timeout, refused, reset
            log.warning("%s %s: %s", method, url, e)
            breaker.record_failure()
            continue
        if r.status_code >= 500:
            breaker.record_failure()
            if r.status_code in RETRY_ON:
                continue
            break
        breaker.record_success()
        return r
    raise PeerUnavailable(peer)


orders = {}
outbox = []               # confirmations notification did not take yet
outbox_lock = threading.Lock()


def send_confirmation(order, deadline):
    call("notification", "POST", f"{NOTIFICATION}/send", deadline,
         json={"user_id": order["user_id"], "message": f"Order {order['id']} confirmed: 1 x {order['item_id']}"},
         headers={"Idempotency-Key": f"confirm-{order['id']}"})
    order["confirmed"] = True


def outbox_worker():
    while True:
        time.sleep(1)
        with outbox_lock:
            pending = list(outbox)
        for order in pending:
            try:
                send_confirmation(order, time.monotonic() + 3)
            except PeerUnavailable:
                continue
            with outbox_lock:
                outbox.remove(order)


threading.Thread(target=outbox_worker, daemon=True).start()


@app.get("/health")
def health():
    return {"status": "ok", "service": "orders"}


@app.post("/order", status_code=201)
def place_order(user_id: str, item_id: str):
    deadline = time.monotonic() + ORDER_BUDGET
    try:
        r = call("user", "GET", f"{USER}/users/{user_id}", deadline)
    except PeerUnavailable:
        raise HTTPException(503, "user unavailable")
    if r.status_code == 404:
        raise HTTPException(404, "User not found")
    if not r.ok:
        raise HTTPException(502, f"user answered {r.status_code}")

    order_id = str(uuid.uuid4())
    try:
        r = call("inventory", "POST", f"{INVENTORY}/reservations", deadline,
                 json={"order_id": order_id, "item_id": item_id, "quantity": 1},
                 headers={"Idempotency-Key": f"reserve-{order_id}"})
    except PeerUnavailable:
        raise HTTPException(503, "inventory unavailable")
    if r.status_code == 409:
        raise HTTPException(409, "Out of stock")
    if r.status_code == 404:
        raise HTTPException(404, "Item not found")
    if not r.ok:
        raise HTTPException(502, f"inventory answered {r.status_code}")

    order = {"id": order_id, "user_id": user_id, "item_id": item_id, "quantity": 1, "status": "placed",
             "confirmed": False}
    orders[order_id] = order
    try:
        send_confirmation(order, deadline)
    except PeerUnavailable:
        with outbox_lock:
            outbox.append(order)       # sent later by outbox_worker, same key
    return order


@app.get("/orders/{order_id}")
def get_order(order_id: str):
    if order_id not in orders:
        raise HTTPException(404, "Order not found")
    return orders[order_id]
