import os

from flask import Flask, jsonify, request

app = Flask(__name__)

items = []


def error(field, message):
    return jsonify({"detail": [{"loc": ["body", field], "msg": message, "type": "value_error"}]}), 422


@app.post("/items")
def add_item():
    payload = request.get_json(silent=True) or {}
    if "name" not in payload:
        return error("name", "field required")
    if not isinstance(payload["name"], str) or len(payload["name"]) < 1 or len(payload["name"]) > 100:
        return error("name", "name must have between 1 and 100 characters")
    if "stock" not in payload:
        return error("stock", "field required")
    if isinstance(payload["stock"], bool) or not isinstance(payload["stock"], int):
        return error("stock", "value is not a valid integer")
    item = {"id": len(items) + 1, "name": payload["name"], "stock": payload["stock"]}
    items.append(item)
    return jsonify(item), 201


@app.get("/items/<int:item_id>")
def one_item(item_id):
    for item in items:
        if item["id"] == item_id:
            return jsonify(item)
    return jsonify({"detail": "Item not found"}), 404


if __name__ == "__main__":
    app.run(host=os.environ.get("HOST", "127.0.0.1"), port=int(os.environ.get("PORT", 5001)))
