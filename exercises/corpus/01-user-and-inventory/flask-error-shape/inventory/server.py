import os
import uuid

from flask import Flask, jsonify, request

app = Flask(__name__)
items = {}


@app.post("/items")
def create_item():
    data = request.get_json(silent=True) or {}
    name = data.get("name")
    stock = data.get("stock")

    if not name or not isinstance(name, str):
        return jsonify({"error": "name is required"}), 422
    if len(name) > 100:
        return jsonify({"error": "name must be at most 100 characters"}), 422
    if type(stock) is not int:
        return jsonify({"error": "stock must be a whole number"}), 422
    if stock < 0:
        return jsonify({"error": "stock cannot be negative"}), 422

    item = {"id": str(uuid.uuid4()), "name": name, "stock": stock}
    items[item["id"]] = item
    return jsonify(item), 201


@app.get("/items/<item_id>")
def get_item(item_id):
    item = items.get(item_id)
    if not item:
        return jsonify({"detail": "Item not found"}), 404
    return jsonify(item)


if __name__ == "__main__":
    app.run(host=os.environ.get("HOST", "127.0.0.1"), port=int(os.environ["PORT"]))
