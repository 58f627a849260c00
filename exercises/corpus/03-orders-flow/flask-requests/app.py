import os
import threading

import requests
from flask import Flask, jsonify, request

USER_SERVICE_URL = os.environ["USER_SERVICE_URL"]
INVENTORY_SERVICE_URL = os.environ["INVENTORY_SERVICE_URL"]
NOTIFICATION_SERVICE_URL = os.environ["NOTIFICATION_SERVICE_URL"]

app = Flask(__name__)
http = requests.Session()
http.headers["x-caller"] = "orders"

orders = {}
counter = 0
counter_lock = threading.Lock()


def new_order_id():
    global counter
    with counter_lock:
        counter += 1
        return counter


@app.post("/order")
def order():
    user_id = request.args.get("user_id")
    item_id = request.args.get("item_id")
    if not user_id or not item_id:
        return jsonify(detail="user_id and item_id are required"), 422

    resp = http.get(f"{USER_SERVICE_URL}/users/{user_id}", timeout=3)
    if resp.status_code == 404:
        return jsonify(detail="User not found"), 404

    order_id = new_order_id()
    resp = http.post(
        f"{INVENTORY_SERVICE_URL}/reservations",
        json={"order_id": order_id, "item_id": item_id, "quantity": 1},
        timeout=3,
    )
    if resp.status_code == 409:
        return jsonify(detail="Out of stock"), 409
    if resp.status_code == 404:
        return jsonify(detail="Item not found"), 404
    if not resp.ok:
        return jsonify(detail="inventory error"), 502

    orders[order_id] = {"id": order_id, "user_id": user_id, "item_id": item_id}
    http.post(
        f"{NOTIFICATION_SERVICE_URL}/send",
        json={"user_id": user_id, "message": f"Thanks! Order {order_id} is on its way."},
        timeout=3,
    )
    return jsonify(orders[order_id])  # 200 is fine too


@app.get("/orders/<int:order_id>")
def get_order(order_id):
    if order_id not in orders:
        return jsonify(detail="Order not found"), 404
    return jsonify(orders[order_id])


if __name__ == "__main__":
    app.run(host=os.environ.get("HOST", "127.0.0.1"), port=int(os.environ.get("PORT", "5000")))
