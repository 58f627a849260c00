import logging
import os
import uuid

import requests
from flask import Flask, jsonify, request

logging.basicConfig(level=logging.INFO)
log = logging.getLogger("orders")

USER = os.environ["USER_SERVICE_URL"]
INVENTORY = os.environ["INVENTORY_SERVICE_URL"]
NOTIFICATION = os.environ["NOTIFICATION_SERVICE_URL"]
H = {"x-caller": "orders"}
T = 2

app = Flask(__name__)
orders = {}


@app.post("/order")
def create_order():
    user_id, item_id = request.args.get("user_id"), request.args.get("item_id")
    try:
        u = requests.get(f"{USER}/users/{user_id}", headers=H, timeout=T)
    except requests.RequestException:
        return jsonify(detail="user unavailable"), 503
    if u.status_code == 404:
        return jsonify(detail="User not found"), 404
    if u.status_code >= 500:
        return jsonify(detail="user unavailable"), 503

    order_id = str(uuid.uuid4())
    try:
        r = requests.post(
            f"{INVENTORY}/reservations",
            json={"order_id": order_id, "item_id": item_id, "quantity": 1},
            headers=H,
            timeout=T,
        )
    except requests.RequestException:
        return jsonify(detail="inventory unavailable"), 503
    if r.status_code == 409:
        return jsonify(detail="Out of stock"), 409
    if r.status_code == 404:
        return jsonify(detail="Item not found"), 404
    if r.status_code >= 500:
        return jsonify(detail="inventory unavailable"), 503

    orders[order_id] = {"id": order_id, "user_id": user_id, "item_id": item_id}
    try:
        n = requests.post(
            f"{NOTIFICATION}/send",
            json={"user_id": user_id, "message": f"Order {order_id} confirmed"},
            headers=H,
            timeout=T,
        )
        n.raise_for_status()
    except requests.RequestException as e:
        # notification is not essential: the order stands
        log.warning("could not send confirmation for %s: %s", order_id, e)
    return jsonify(orders[order_id]), 201


@app.get("/orders/<order_id>")
def get_order(order_id):
    if order_id not in orders:
        return jsonify(detail="Order not found"), 404
    return jsonify(orders[order_id])


if __name__ == "__main__":
    app.run(host=os.environ.get("HOST", "127.0.0.1"), port=int(os.environ["PORT"]))
