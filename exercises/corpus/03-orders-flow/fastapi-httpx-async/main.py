# Orders service, async version: one shared httpx.AsyncClient that always sends x-caller: orders.
import os
import uuid

import httpx
from fastapi import FastAPI, HTTPException

USER = os.environ.get("USER_SERVICE_URL", "http://localhost:8001")
INVENTORY = os.environ.get("INVENTORY_SERVICE_URL", "http://localhost:8002")
NOTIFICATION = os.environ.get("NOTIFICATION_SERVICE_URL", "http://localhost:8004")

app = FastAPI()
client = httpx.AsyncClient(headers={"x-caller": "orders"}, timeout=3.0)
ORDERS = {}


@app.on_event("shutdown")
async def close_client():
    await client.aclose()


@app.post("/order", status_code=201)
async def place_order(user_id: str, item_id: str):
    r = await client.get(f"{USER}/users/{user_id}")
    if r.status_code == 404:
        raise HTTPException(404, detail="User not found")
    if r.status_code != 200:
        raise HTTPException(502, detail="user service error")

    order_id = str(uuid.uuid4())
    r = await client.post(
        f"{INVENTORY}/reservations", json={"order_id": order_id, "item_id": item_id, "quantity": 1}
    )
    if r.status_code == 409:
        raise HTTPException(409, detail="Out of stock")
    if r.status_code == 404:
        raise HTTPException(404, detail="Item not found")
    if r.status_code >= 300:
        raise HTTPException(502, detail="inventory service error")

    ORDERS[order_id] = {"id": order_id, "user_id": user_id, "item_id": item_id, "quantity": 1}
    await client.post(
        f"{NOTIFICATION}/send", json={"user_id": user_id, "message": f"Order {order_id} confirmed: item {item_id}"}
    )
    return ORDERS[order_id]


@app.get("/orders/{order_id}")
async def read_order(order_id: str):
    order = ORDERS.get(order_id)
    if order is None:
        raise HTTPException(404, detail="Order not found")
    return order
