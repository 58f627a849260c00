import logging
import os
import threading
import time
import uuid
from functools import wraps

import requests
from fastapi import FastAPI, HTTPException

USER_SERVICE_URL = os.getenv("USER_SERVICE_URL", "http://localhost:4001")
INVENTORY_SERVICE_URL = os.getenv("INVENTORY_SERVICE_URL", "http://localhost:4002")
NOTIFICATION_SERVICE_URL = os.getenv("NOTIFICATION_SERVICE_URL", "http://localhost:4004")
HEADERS = {"x-caller": "orders"}
TIMEOUT = 1  # seconds, for user and inventory

logger = logging.getLogger("orders")
app = FastAPI()


class ServiceUnavailable(Exception):
    def __init__(self, service):
        self.service = service


class Breaker:
    """Opens after 5 failures in a row; after 2 s one call may try again."""

    def __init__(self):
        self.lock = threading.Lock()
        self.failures = 0
        self.open_since = None
        self.trying = False

    def check(self, service):
        with self.lock:
            if self.open_since is None:
                return
            if not self.trying and time.time() - self.open_since >= 2:
                self.trying = True
                return
        raise ServiceUnavailable(service)

    def result(self, ok):
        with self.lock:
            if ok:
                self.failures, self.open_since, self.trying = 0, None, False
            else:
                self.failures += 1
                if self.trying or self.failures >= 5:
                    self.open_since, self.trying = time.time(), False


BREAKERS = {"user": Breaker(), "inventory": Breaker()}


class Retryable(Exception):
    pass


def retrying(service, tries=3, first_wait=0.1):
    """Decorator: call the function up to `tries` times, doubling the wait, through the service's breaker."""
    def decorate(fn):
        @wraps(fn)
        def wrapper(*args, **kwargs):
            wait = first_wait
            for attempt in range(1, tries + 1):
                BREAKERS[service].check(service)
                try:
                    result = fn(*args, **kwargs)
                except (requests.ConnectionError, requests.Timeout, Retryable) as e:
                    logger.warning("%s try %d failed: %s", service, attempt, e)
                    BREAKERS[service].result(False)
                    if attempt == tries:
                        break
                    time.sleep(wait)
                    wait *= 2
                    continue
                except ServiceUnavailable:
                    BREAKERS[service].result(False)
                    raise
                BREAKERS[service].result(True)
                return result
            raise ServiceUnavailable(service)
        return wrapper
    return decorate


def check_status(r, service):
    if r.status_code in (502, 503, 504):
        raise Retryable(f"{service} answered {r.status_code}")
    if r.status_code >= 500:
        raise ServiceUnavailable(service)
    return r


@retrying("user")
def get_user(user_id):
    r = requests.get(f"{USER_SERVICE_URL}/users/{user_id}", headers=HEADERS, timeout=TIMEOUT)
    return check_status(r, "user")


@retrying("inventory")
def reserve(order_id, item_id):
    r = requests.post(f"{INVENTORY_SERVICE_URL}/reservations",
                      json={"order_id": order_id, "item_id": item_id, "quantity": 1},
                      headers={**HEADERS, "Idempotency-Key": f"reserve-{order_id}"}, timeout=TIMEOUT)
    return check_status(r, "inventory")


def send_confirmation(order):
    # notification is not critical: if it fails, the order is still placed
    try:
        r = requests.post(f"{NOTIFICATION_SERVICE_URL}/send",
                          json={"user_id": order["user_id"], "message": f"Order #{order['id']} confirmed"},
                          headers={**HEADERS, "Idempotency-Key": f"order-{order['id']}"})
        r.raise_for_status()
        order["notified"] = True
    except requests.RequestException as e:
        logger.warning("confirmation of order %s not sent: %s", order["id"], e)


orders = {}


@app.get("/health")
def health():
    return {"status": "ok"}


@app.post("/order", status_code=201)
def create_order(user_id: str, item_id: str):
    try:
        r = get_user(user_id)
    except ServiceUnavailable:
        raise HTTPException(status_code=503, detail="user unavailable")
    if r.status_code == 404:
        raise HTTPException(status_code=404, detail="User not found")

    order_id = uuid.uuid4().hex[:12]
    try:
        r = reserve(order_id, item_id)
    except ServiceUnavailable:
        raise HTTPException(status_code=503, detail="inventory unavailable")
    if r.status_code == 409:
        raise HTTPException(status_code=409, detail="Out of stock")
    if r.status_code == 404:
        raise HTTPException(status_code=404, detail="Item not found")

    order = {"id": order_id, "user_id": user_id, "item_id": item_id, "quantity": 1, "notified": False}
    orders[order_id] = order
    send_confirmation(order)
    return order


@app.get("/orders/{order_id}")
def get_order(order_id: str):
    order = orders.get(order_id)
    if order is None:
        raise HTTPException(status_code=404, detail="Order not found")
    return order
