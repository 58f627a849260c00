import os
import threading
import time
import uuid

import requests
from fastapi import FastAPI, HTTPException

USER_SERVICE_URL = os.environ["USER_SERVICE_URL"]
INVENTORY_SERVICE_URL = os.environ["INVENTORY_SERVICE_URL"]
NOTIFICATION_SERVICE_URL = os.environ["NOTIFICATION_SERVICE_URL"]
HEADERS = {"x-caller": "orders"}
TIMEOUT = 1

app = FastAPI()
orders = {}
outbox = {}  # order id -> confirmation payload
outbox_lock = threading.Lock()


def send_confirmation(order_id):
    payload = outbox.get(order_id)
    if payload is None:
        return
    try:
        r = requests.post(
            f"{NOTIFICATION_SERVICE_URL}/send",
            json=payload,
            headers={**HEADERS, "Idempotency-Key": order_id},
            timeout=TIMEOUT,
        )
        if r.ok:
            with outbox_lock:
                outbox.pop(order_id, None)
    except requests.RequestException:
        pass


def retry_loop():
    while True:
        time.sleep(1)
        with outbox_lock:
            ids = list(outbox)
        for order_id in ids:
            send_confirmation(order_id)


threading.Thread(target=retry_loop, daemon=True).start()


@app.post("/order", status_code=201)
def create_order(user_id: str, item_id: str):
    order_id = str(uuid.uuid4())

    # reserve first, so nobody can grab the item while we talk to user service
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
    if not r.ok:
        raise HTTPException(503, "inventory unavailable")

    try:
        u = requests.get(f"{USER_SERVICE_URL}/users/{user_id}", headers=HEADERS, timeout=TIMEOUT)
    except requests.RequestException:
        raise HTTPException(503, "user unavailable")
    if u.status_code == 404:
        raise HTTPException(404, "User not found")
    if u.status_code != 200:
        raise HTTPException(503, "user unavailable")

    orders[order_id] = {"id": order_id, "user_id": user_id, "item_id": item_id}
    with outbox_lock:
        outbox[order_id] = {"user_id": user_id, "message": f"Order {order_id} confirmed"}
    send_confirmation(order_id)
    return orders[order_id]


@app.get("/orders/{order_id}")
def get_order(order_id: str):
    if order_id not in orders:
        raise HTTPException(404, "Order not found")
    return orders[order_id]
