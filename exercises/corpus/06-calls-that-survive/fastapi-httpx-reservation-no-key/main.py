# orders service, exercise 06 (FastAPI + httpx, async)
#
#   with_retry(): up to 3 tries, 0.1 / 0.2 s apart, on timeouts, connection errors and 502/503/504
#   circuits:     a breaker per peer, 5 failures in a row -> open 3 s -> one trial
#   timeouts:     1 s per try (3 tries + waits stay under 3.5 s)
import asyncio
import os
import time
import uuid
from dataclasses import dataclass

import httpx
from fastapi import FastAPI, HTTPException

USER_URL = os.environ.get("USER_SERVICE_URL", "http://127.0.0.1:4001")
INVENTORY_URL = os.environ.get("INVENTORY_SERVICE_URL", "http://127.0.0.1:4002")
NOTIFICATION_URL = os.environ.get("NOTIFICATION_SERVICE_URL", "http://127.0.0.1:4004")

app = FastAPI()
client = httpx.AsyncClient(timeout=1.0, headers={"x-caller": "orders"})


@dataclass
class Circuit:
    failures: int = 0
    opened_at: float | None = None
    trial: bool = False

    def closed_for_now(self) -> bool:
        """True when a call may go."""
        if self.opened_at is None:
            return True
        if self.trial or time.monotonic() - self.opened_at < 3.0:
            return False
        self.trial = True
        return True

    def record(self, ok: bool):
        if ok:
            self.failures, self.opened_at, self.trial = 0, None, False
            return
        self.failures += 1
        if self.trial or self.failures >= 5:
            self.opened_at, self.trial = time.monotonic(), False


circuits = {"user": Circuit(), "inventory": Circuit(), "notification": Circuit()}


class PeerDown(Exception):
    pass


async def with_retry(peer: str, method: str, url: str, **kwargs) -> httpx.Response:
    delay = 0.1
    for attempt in range(3):
        if attempt:
            await asyncio.sleep(delay)
            delay *= 2
        if not circuits[peer].closed_for_now():
            break
        try:
            r = await client.request(method, url, **kwargs)
        except (httpx.TimeoutException, httpx.NetworkError, httpx.RemoteProtocolError):
            circuits[peer].record(False)
            continue
        if r.status_code in (502, 503, 504):
            circuits[peer].record(False)
            continue
        if r.status_code >= 500:
            circuits[peer].record(False)
            break
        circuits[peer].record(True)
        return r
    raise PeerDown(peer)


orders: dict[str, dict] = {}
to_send: dict[str, dict] = {}


async def notify(order_id: str):
    order = orders[order_id]
    try:
        await with_retry("notification", "POST", f"{NOTIFICATION_URL}/send",
                         json={"user_id": order["user_id"], "message": f"order {order_id} confirmed"},
                         headers={"Idempotency-Key": f"notify-{order_id}"})
        to_send.pop(order_id, None)
    except PeerDown:
        to_send[order_id] = order


async def resend_forever():
    while True:
        await asyncio.sleep(2)
        for order_id in list(to_send):
            await notify(order_id)


@app.on_event("startup")
async def start_resender():
    asyncio.create_task(resend_forever())


@app.get("/health")
async def health():
    return {"status": "ok"}


@app.post("/order", status_code=201)
async def post_order(user_id: str, item_id: str):
    try:
        u = await with_retry("user", "GET", f"{USER_URL}/users/{user_id}")
    except PeerDown:
        raise HTTPException(503, detail="user unavailable")
    if u.status_code == 404:
        raise HTTPException(404, detail="User not found")

    order_id = str(uuid.uuid4())
    try:
        r = await with_retry("inventory", "POST", f"{INVENTORY_URL}/reservations",
                             json={"order_id": order_id, "item_id": item_id, "quantity": 1})
    except PeerDown:
        raise HTTPException(503, detail="inventory unavailable")
    if r.status_code == 409:
        raise HTTPException(409, detail="Out of stock")
    if r.status_code == 404:
        raise HTTPException(404, detail="Item not found")

    orders[order_id] = {"id": order_id, "user_id": user_id, "item_id": item_id, "quantity": 1}
    asyncio.create_task(notify(order_id))
    return orders[order_id]


@app.get("/orders/{order_id}")
async def get_order(order_id: str):
    if order_id not in orders:
        raise HTTPException(404, detail="Order not found")
    return orders[order_id]
