"""Orders service (exercise 03): FastAPI with plain sync `requests`.

Sync endpoints run in FastAPI's thread pool, so five orders at once are five threads; inventory's reservation takes
the stock in one step, so we never have to count stock ourselves.
"""
import itertools
import os

import requests
from fastapi import FastAPI, HTTPException

USER_SERVICE_URL = os.getenv("USER_SERVICE_URL", "http://127.0.0.1:8001")
INVENTORY_SERVICE_URL = os.getenv("INVENTORY_SERVICE_URL", "http://127.0.0.1:8002")
NOTIFICATION_SERVICE_URL = os.getenv("NOTIFICATION_SERVICE_URL", "http://127.0.0.1:8004")
HEADERS = {"x-caller": "orders"}

app = FastAPI(title="Orders Service")
orders: dict[int, dict] = {}
next_id = itertools.count(1)


@app.post("/order", status_code=201)
def create_order(user_id: int, item_id: int):
    # does the user exist?
    user = requests.get(f"{USER_SERVICE_URL}/users/{user_id}", headers=HEADERS, timeout=3)
    if user.status_code == 404:
        raise HTTPException(status_code=404, detail="User not found")
    user.raise_for_status()

    # take the stock, in one step
    order_id = next(next_id)
    reservation = requests.post(
        f"{INVENTORY_SERVICE_URL}/reservations",
        json={"order_id": order_id, "item_id": item_id, "quantity": 1},
        headers=HEADERS,
        timeout=3,
    )
    if reservation.status_code == 409:
        raise HTTPException(status_code=409, detail="Out of stock")
    if reservation.status_code == 404:
        raise HTTPException(status_code=404, detail="Item not found")
    reservation.raise_for_status()

    order = {"id": order_id, "user_id": user_id, "item_id": item_id, "status": "confirmed"}
    orders[order_id] = order

    # confirmation
    requests.post(
        f"{NOTIFICATION_SERVICE_URL}/send",
        json={"user_id": user_id, "message": f"Your order #{order_id} for item {item_id} is confirmed"},
        headers=HEADERS,
        timeout=3,
    )
    return order


@app.get("/orders/{order_id}")
def get_order(order_id: int):
    if order_id not in orders:
        raise HTTPException(status_code=404, detail="Order not found")
    return orders[order_id]
