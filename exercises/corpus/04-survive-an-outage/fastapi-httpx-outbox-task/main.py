import asyncio
import os
import uuid

import httpx
from fastapi import FastAPI, HTTPException

USER = os.getenv("USER_SERVICE_URL", "http://127.0.0.1:8001")
INVENTORY = os.getenv("INVENTORY_SERVICE_URL", "http://127.0.0.1:8002")
NOTIFICATION = os.getenv("NOTIFICATION_SERVICE_URL", "http://127.0.0.1:8004")

app = FastAPI()
http = httpx.AsyncClient(headers={"x-caller": "orders"}, timeout=httpx.Timeout(1.0))

orders = {}
outbox = []  # confirmations still to deliver: {"key", "user_id", "message"}
retry_task = None


async def deliver(entry) -> bool:
    try:
        r = await http.post(
            f"{NOTIFICATION}/send",
            json={"user_id": entry["user_id"], "message": entry["message"]},
            headers={"Idempotency-Key": entry["key"]},
        )
        return r.is_success
    except httpx.HTTPError:
        return False


async def retry_outbox():
    while True:
        await asyncio.sleep(1)
        for entry in list(outbox):
            if await deliver(entry):
                outbox.remove(entry)


@app.on_event("startup")
async def startup():
    global retry_task
    retry_task = asyncio.create_task(retry_outbox())


@app.on_event("shutdown")
async def shutdown():
    if retry_task:
        retry_task.cancel()
    await http.aclose()


@app.post("/order", status_code=201)
async def order(user_id: str, item_id: str):
    try:
        u = await http.get(f"{USER}/users/{user_id}")
    except httpx.HTTPError:
        raise HTTPException(503, detail="user unavailable")
    if u.status_code == 404:
        raise HTTPException(404, detail="User not found")
    if u.status_code != 200:
        raise HTTPException(503, detail="user unavailable")

    oid = uuid.uuid4().hex
    try:
        r = await http.post(f"{INVENTORY}/reservations", json={"order_id": oid, "item_id": item_id, "quantity": 1})
    except httpx.HTTPError:
        raise HTTPException(503, detail="inventory unavailable")
    if r.status_code == 409:
        raise HTTPException(409, detail="Out of stock")
    if r.status_code == 404:
        raise HTTPException(404, detail="Item not found")
    if not r.is_success:
        raise HTTPException(503, detail="inventory unavailable")

    orders[oid] = {"id": oid, "user_id": user_id, "item_id": item_id}
    entry = {"key": oid, "user_id": user_id, "message": f"Order {oid} confirmed"}
    if not await deliver(entry):
        outbox.append(entry)
    return orders[oid]


@app.get("/orders/{oid}")
async def get_order(oid: str):
    if oid not in orders:
        raise HTTPException(404, detail="Order not found")
    return orders[oid]
