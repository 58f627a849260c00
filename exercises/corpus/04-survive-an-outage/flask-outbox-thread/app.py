import os
import queue
import threading
import time
import uuid

import requests
from flask import Flask, jsonify, request

USER_SERVICE_URL = os.environ["USER_SERVICE_URL"]
INVENTORY_SERVICE_URL = os.environ["INVENTORY_SERVICE_URL"]
NOTIFICATION_SERVICE_URL = os.environ["NOTIFICATION_SERVICE_URL"]
TIMEOUT = (0.5, 1.5)  # connect, read

app = Flask(__name__)
orders = {}
outbox = queue.Queue()  # (idempotency key, payload) still to be delivered


def call(method, url, **kwargs):
    headers = {"x-caller": "orders", **kwargs.pop("headers", {})}
    return requests.request(method, url, headers=headers, timeout=TIMEOUT, **kwargs)


def unavailable(service):
    return jsonify(detail=f"{service} unavailable"), 503


def outbox_sender():
    while True:
        key, payload = outbox.get()
        while True:
            try:
                r = call("POST", f"{NOTIFICATION_SERVICE_URL}/send", json=payload, headers={"Idempotency-Key": key})
                if r.ok:
                    break
            except requests.RequestException:
                pass
            time.sleep(1)


@app.post("/order")
def create_order():
    user_id = request.args.get("user_id")
    item_id = request.args.get("item_id")

    try:
        user = call("GET", f"{USER_SERVICE_URL}/users/{user_id}")
    except requests.RequestException:
        return unavailable("user")
    if user.status_code == 404:
        return jsonify(detail="User not found"), 404
    if user.status_code != 200:
        return unavailable("user")

    order_id = uuid.uuid4().hex
    try:
        res = call(
            "POST",
            f"{INVENTORY_SERVICE_URL}/reservations",
            json={"order_id": order_id, "item_id": item_id, "quantity": 1},
        )
    except requests.RequestException:
        return unavailable("inventory")
    if res.status_code == 409:
        return jsonify(detail="Out of stock"), 409
    if res.status_code == 404:
        return jsonify(detail="Item not found"), 404
    if not res.ok:
        return unavailable("inventory")

    orders[order_id] = {"id": order_id, "user_id": user_id, "item_id": item_id}
    # the confirmation always goes through the outbox: the customer never waits for notification
    outbox.put((f"confirm-{order_id}", {"user_id": user_id, "message": f"Order {order_id} is confirmed"}))
    return jsonify(orders[order_id]), 201


@app.get("/orders/<order_id>")
def get_order(order_id):
    if order_id not in orders:
        return jsonify(detail="Order not found"), 404
    return jsonify(orders[order_id])


if __name__ == "__main__":
    threading.Thread(target=outbox_sender, daemon=True).start()
    app.run(host=os.environ.get("HOST", "127.0.0.1"), port=int(os.environ["PORT"]))
