import os
import uuid

import requests
from fastapi import FastAPI, HTTPException

from db import connect, lock

USER = os.environ.get("USER_SERVICE_URL", "http://127.0.0.1:4001")
INVENTORY = os.environ.get("INVENTORY_SERVICE_URL", "http://127.0.0.1:4002")
NOTIFICATION = os.environ.get("NOTIFICATION_SERVICE_URL", "http://127.0.0.1:4004")
CALLER = {"x-caller": "orders"}

app = FastAPI()
db = connect("CREATE TABLE IF NOT EXISTS orders (id TEXT PRIMARY KEY, user_id TEXT, item_id TEXT);")


@app.post("/order", status_code=201)
def place_order(user_id: str, item_id: str):
    if requests.get(f"{USER}/users/{user_id}", headers=CALLER, timeout=2).status_code != 200:
        raise HTTPException(404, "User not found")
    order_id = uuid.uuid4().hex
    r = requests.post(
        f"{INVENTORY}/reservations",
        json={"order_id": order_id, "item_id": item_id, "quantity": 1},
        headers=CALLER,
        timeout=2,
    )
    if r.status_code == 409:
        raise HTTPException(409, "Out of stock")
    if r.status_code != 201:
        raise HTTPException(404, "Item not found")
    with lock, db:
        db.execute("INSERT INTO orders VALUES (?, ?, ?)", (order_id, user_id, item_id))
    try:
        requests.post(
            f"{NOTIFICATION}/send",
            json={"user_id": user_id, "message": f"Your order {order_id} is confirmed"},
            headers={**CALLER, "Idempotency-Key": order_id},
            timeout=2,
        )
    except requests.RequestException:
        pass  # the order stands; the confirmation is best effort
    return {"id": order_id, "user_id": user_id, "item_id": item_id}


@app.get("/orders/{order_id}")
def get_order(order_id: str):
    with lock:
        row = db.execute("SELECT id, user_id, item_id FROM orders WHERE id = ?", (order_id,)).fetchone()
    if row is None:
        raise HTTPException(404, "Order not found")
    return {"id": row[0], "user_id": row[1], "item_id": row[2]}
