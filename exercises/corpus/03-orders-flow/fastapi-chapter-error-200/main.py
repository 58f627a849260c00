# Based on the chapter's orders service, with the stock really reserved and the order stored.
import itertools
import os

import requests
from fastapi import FastAPI, HTTPException

app = FastAPI()

USER_SERVICE = os.environ["USER_SERVICE_URL"]
INVENTORY_SERVICE = os.environ["INVENTORY_SERVICE_URL"]
NOTIFICATION_SERVICE = os.environ["NOTIFICATION_SERVICE_URL"]
HEADERS = {"x-caller": "orders"}

orders_db = {}
next_id = itertools.count(1)


@app.post("/order")
def create_order(user_id: int, item_id: int):
    user = requests.get(f"{USER_SERVICE}/users/{user_id}", headers=HEADERS, timeout=3)
    if user.status_code != 200:
        return {"error": "User not found"}  # as in the chapter

    order_id = next(next_id)
    res = requests.post(
        f"{INVENTORY_SERVICE}/reservations",
        json={"order_id": order_id, "item_id": item_id, "quantity": 1},
        headers=HEADERS,
        timeout=3,
    )
    if res.status_code == 409:
        raise HTTPException(status_code=409, detail="Out of stock")
    if res.status_code == 404:
        raise HTTPException(status_code=404, detail="Item not found")

    orders_db[order_id] = {"id": order_id, "user_id": user_id, "item_id": item_id}
    requests.post(
        f"{NOTIFICATION_SERVICE}/send",
        json={"user_id": user_id, "message": "Order placed successfully"},
        headers=HEADERS,
        timeout=3,
    )
    return {"message": "Order placed successfully", **orders_db[order_id]}


@app.get("/orders/{order_id}")
def get_order(order_id: int):
    order = orders_db.get(order_id)
    if order is None:
        raise HTTPException(status_code=404, detail="Order not found")
    return order
