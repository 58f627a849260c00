import os
import uuid

import requests
from fastapi import FastAPI, HTTPException
from pydantic import BaseModel

USER_SERVICE_URL = os.environ["USER_SERVICE_URL"]
INVENTORY_SERVICE_URL = os.environ["INVENTORY_SERVICE_URL"]
NOTIFICATION_SERVICE_URL = os.environ["NOTIFICATION_SERVICE_URL"]

session = requests.Session()
session.headers.update({"x-caller": "orders"})

app = FastAPI()


class Order(BaseModel):
    id: str
    user_id: str
    item_id: str
    status: str = "placed"


orders: list[Order] = []


@app.post("/order", status_code=201, response_model=Order)
def create_order(user_id: str, item_id: str):
    if session.get(f"{USER_SERVICE_URL}/users/{user_id}", timeout=3).status_code == 404:
        raise HTTPException(status_code=404, detail="User not found")

    order = Order(id=str(uuid.uuid4()), user_id=user_id, item_id=item_id)
    r = session.post(
        f"{INVENTORY_SERVICE_URL}/reservations",
        json={"order_id": order.id, "item_id": item_id, "quantity": 1},
        timeout=3,
    )
    if r.status_code == 409:
        raise HTTPException(status_code=409, detail="Out of stock")
    if r.status_code == 404:
        raise HTTPException(status_code=404, detail="Item not found")

    orders.append(order)
    session.post(
        f"{NOTIFICATION_SERVICE_URL}/send",
        json={"user_id": user_id, "message": f"Order {order.id} confirmed"},
        timeout=3,
    )
    return order


@app.get("/orders")
def list_orders():
    return orders
