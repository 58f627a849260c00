import uuid

from flask import Flask, jsonify, request

from common import add_latency, field_error, not_found, run

app = Flask("inventory")
add_latency(app)

ITEMS = {}


@app.post("/items")
def create_item():
    body = request.get_json(force=True, silent=True) or {}
    name, stock = body.get("name"), body.get("stock")
    if not isinstance(name, str) or not (0 < len(name) <= 100):
        return field_error("name", "name must be 1 to 100 characters")
    if type(stock) is not int or stock < 0:
        return field_error("stock", "stock must be a whole number, 0 or more")
    item = {"id": str(uuid.uuid4()), "name": name, "stock": stock}
    ITEMS[item["id"]] = item
    return jsonify(item), 201


@app.get("/items/<item_id>")
def get_item(item_id):
    if item_id not in ITEMS:
        return not_found("Item")
    return jsonify(ITEMS[item_id])


if __name__ == "__main__":
    run(app)
