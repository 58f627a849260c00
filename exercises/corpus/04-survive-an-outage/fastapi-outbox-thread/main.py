"""Orders that survives an outage.

* every call has a short timeout (1 s), so a dead service costs at most a second;
* user or inventory unavailable: the order is refused with 503 (user is asked first, so no stock is taken);
* notification unavailable: the order is placed anyway and its confirmation waits in the order's outbox; a
  background thread retries it every second with the order's Idempotency-Key, so a retry that did arrive is harmless.
"""
import os
import threading
import time
import uuid

import requests
from fastapi import FastAPI, HTTPException

USER_SERVICE_URL = os.environ["USER_SERVICE_URL"]
INVENTORY_SERVICE_URL = os.environ["INVENTORY_SERVICE_URL"]
NOTIFICATION_SERVICE_URL = os.environ["NOTIFICATION_SERVICE_URL"]
TIMEOUT = 1.0
HEADERS = {"x-caller": "orders"}

app = FastAPI()
orders: dict[str, dict] = {}
lock = threading.Lock()


def public(order: dict) -> dict:
    return {k: v for k, v in order.items() if k != "outbox"}


def try_confirm(order: dict) -> None:
    """Send the order's pending confirmation, if any; leave it pending when notification fails."""
    msg = order["outbox"]
    if msg is None:
        return
    try:
        r = requests.post(
            f"{NOTIFICATION_SERVICE_URL}/send",
            json={"user_id": order["user_id"], "message": msg["message"]},
            headers={**HEADERS, "Idempotency-Key": msg["key"]},
            timeout=TIMEOUT,
        )
    except requests.RequestException:
        return
    if 200 <= r.status_code < 300:
        with lock:
            order["outbox"] = None
            order["confirmation"] = "sent"


def outbox_worker() -> None:
    while True:
        time.sleep(1)
        with lock:
            pending = [o for o in orders.values() if o["outbox"] is not None]
        for order in pending:
            try_confirm(order)


@app.on_event("startup")
def start_outbox_worker() -> None:
    threading.Thread(target=outbox_worker, daemon=True, name="outbox").start()


@app.post("/order", status_code=201)
def create_order(user_id: str, item_id: str):
    try:
        user = requests.get(f"{USER_SERVICE_URL}/users/{user_id}", headers=HEADERS, timeout=TIMEOUT)
    except requests.RequestException:
        raise HTTPException(503, "user unavailable")
    if user.status_code == 404:
        raise HTTPException(404, "User not found")
    if user.status_code != 200:
        raise HTTPException(503, "user unavailable")

    order_id = str(uuid.uuid4())
    try:
        r = requests.post(
            f"{INVENTORY_SERVICE_URL}/reservations",
            json={"order_id": order_id, "item_id": item_id, "quantity": 1},
            headers=HEADERS,
            timeout=TIMEOUT,
        )
    except requests.RequestException:
        raise HTTPException(503, "inventory unavailable")
    if r.status_code == 409:
        raise HTTPException(409, "Out of stock")
    if r.status_code == 404:
        raise HTTPException(404, "Item not found")
    if not 200 <= r.status_code < 300:
        raise HTTPException(503, "inventory unavailable")

    order = {
        "id": order_id,
        "user_id": user_id,
        "item_id": item_id,
        "confirmation": "pending",
        "outbox": {"key": f"order-{order_id}", "message": f"Your order {order_id} (item {item_id}) is confirmed"},
    }
    with lock:
        orders[order_id] = order
    try_confirm(order)  # first try now; the worker retries if notification is down
    return public(order)


@app.get("/orders/{order_id}")
def get_order(order_id: str):
    order = orders.get(order_id)
    if order is None:
        raise HTTPException(404, "Order not found")
    return public(order)
