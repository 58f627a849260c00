import os
from uuid import uuid4

from flask import Flask, jsonify, request

app = Flask(__name__)
items = {}


def invalid(field, msg):
    return jsonify(detail=[{"loc": ["body", field], "msg": msg, "type": "value_error"}]), 422


@app.route("/items", methods=["POST"])
def create_item():
    data = request.get_json(silent=True) or {}
    name = data.get("name")
    stock = data.get("stock")
    if not name or not isinstance(name, str) or len(name) > 100:
        return invalid("name", "name must be 1-100 characters")
    if not isinstance(stock, int) or isinstance(stock, bool) or stock < 0:
        return invalid("stock", "stock must be a whole number >= 0")
    item = {"id": uuid4().hex[:8], "name": name, "stock": stock}
    items[item["id"]] = item
    return jsonify(item), 201


@app.route("/items/<item_id>")
def get_item(item_id):
    if item_id in items:
        return jsonify(items[item_id])
    return jsonify(detail="Item not found"), 404


if __name__ == "__main__":
    app.run(host=os.getenv("HOST", "127.0.0.1"), port=int(os.getenv("PORT", "8002")))
