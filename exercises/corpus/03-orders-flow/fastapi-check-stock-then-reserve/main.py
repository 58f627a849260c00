import os
import uuid

import requests
from fastapi import FastAPI, HTTPException

USER_SERVICE_URL = os.getenv("USER_SERVICE_URL")
INVENTORY_SERVICE_URL = os.getenv("INVENTORY_SERVICE_URL")
NOTIFICATION_SERVICE_URL = os.getenv("NOTIFICATION_SERVICE_URL")
H = {"x-caller": "orders"}

app = FastAPI()
orders = {}


@app.post("/order", status_code=201)
def create_order(user_id: str, item_id: str):
    r = requests.get(f"{USER_SERVICE_URL}/users/{user_id}", headers=H, timeout=3)
    if r.status_code == 404:
        raise HTTPException(404, "User not found")

    # fail fast if there is obviously nothing left...
    stock = requests.get(f"{INVENTORY_SERVICE_URL}/stock/{item_id}", headers=H, timeout=3)
    if stock.status_code == 404:
        raise HTTPException(404, "Item not found")
    if stock.json()["available"] < 1:
        raise HTTPException(409, "Out of stock")

    # ...but the reservation is what really takes it: someone may have bought the last one meanwhile
    order_id = uuid.uuid4().hex
    r = requests.post(
        f"{INVENTORY_SERVICE_URL}/reservations",
        json={"order_id": order_id, "item_id": item_id, "quantity": 1},
        headers=H,
        timeout=3,
    )
    if r.status_code == 409:
        raise HTTPException(409, "Out of stock")
    if r.status_code != 201:
        raise HTTPException(502, f"inventory answered {r.status_code}")

    orders[order_id] = {"id": order_id, "user_id": user_id, "item_id": item_id}
    requests.post(
        f"{NOTIFICATION_SERVICE_URL}/send",
        json={"user_id": user_id, "message": f"Order {order_id} confirmed"},
        headers=H,
        timeout=3,
    )
    return orders[order_id]


@app.get("/orders/{order_id}")
def get_order(order_id: str):
    if order_id not in orders:
        raise HTTPException(404, "Order not found")
    return orders[order_id]
