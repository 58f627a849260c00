import os
import threading
import uuid

import requests
from flask import Flask, jsonify, request

from store import load, run, save

USER = os.environ.get("USER_SERVICE_URL", "http://127.0.0.1:4001")
INVENTORY = os.environ.get("INVENTORY_SERVICE_URL", "http://127.0.0.1:4002")
NOTIFICATION = os.environ.get("NOTIFICATION_SERVICE_URL", "http://127.0.0.1:4004")
CALLER = {"x-caller": "orders"}

app = Flask(__name__)
orders = load()
lock = threading.Lock()


@app.post("/order")
def place_order():
    user_id, item_id = request.args.get("user_id", ""), request.args.get("item_id", "")
    if requests.get(f"{USER}/users/{user_id}", headers=CALLER, timeout=2).status_code != 200:
        return jsonify(detail="User not found"), 404
    order_id = str(uuid.uuid4())
    r = requests.post(
        f"{INVENTORY}/reservations",
        json={"order_id": order_id, "item_id": item_id, "quantity": 1},
        headers=CALLER,
        timeout=2,
    )
    if r.status_code == 409:
        return jsonify(detail="Out of stock"), 409
    if r.status_code != 201:
        return jsonify(detail="Item not found"), 404
    order = {"id": order_id, "user_id": user_id, "item_id": item_id}
    with lock:
        orders[order_id] = order
        save(orders)
    try:
        requests.post(
            f"{NOTIFICATION}/send",
            json={"user_id": user_id, "message": f"Order {order_id} confirmed"},
            headers={**CALLER, "Idempotency-Key": order_id},
            timeout=2,
        )
    except requests.RequestException:
        pass
    return jsonify(order), 201


@app.get("/orders/<order_id>")
def get_order(order_id):
    order = orders.get(order_id)
    return (jsonify(order), 200) if order else (jsonify(detail="Order not found"), 404)


if __name__ == "__main__":
    run(app, 4003)
