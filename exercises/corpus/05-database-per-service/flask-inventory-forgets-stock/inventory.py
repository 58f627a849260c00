import threading

from flask import Flask, jsonify, request

from store import load, run, save

app = Flask(__name__)
items = load()
reserved = set()  # order ids that already took their stock
lock = threading.Lock()


def invalid(field, msg):
    return jsonify(detail=[{"loc": ["body", field], "msg": msg, "type": "value_error"}]), 422


@app.post("/items")
def create_item():
    body = request.get_json(silent=True) or {}
    name, stock = body.get("name"), body.get("stock")
    if not isinstance(name, str) or not 1 <= len(name) <= 100:
        return invalid("name", "name must have 1 to 100 characters")
    if type(stock) is not int or stock < 0:
        return invalid("stock", "stock must be a whole number, 0 or more")
    with lock:
        item = {"id": len(items) + 1, "name": name, "stock": stock}
        items[str(item["id"])] = item
        save(items)
    return jsonify(item), 201


@app.get("/items/<int:item_id>")
def get_item(item_id):
    item = items.get(str(item_id))
    return (jsonify(item), 200) if item else (jsonify(detail="Item not found"), 404)


@app.get("/stock/<int:item_id>")
def get_stock(item_id):
    item = items.get(str(item_id))
    return (jsonify(available=item["stock"]), 200) if item else (jsonify(detail="Item not found"), 404)


@app.post("/reservations")
def reserve():
    body = request.get_json(silent=True) or {}
    order_id, quantity = str(body.get("order_id")), int(body.get("quantity", 1))
    with lock:
        item = items.get(str(body.get("item_id")))
        if item is None:
            return jsonify(detail="Item not found"), 404
        if order_id not in reserved:
            if item["stock"] < quantity:
                return jsonify(detail="Out of stock"), 409
            item["stock"] -= quantity
            reserved.add(order_id)
    return jsonify(order_id=order_id, item_id=item["id"], quantity=quantity), 201


if __name__ == "__main__":
    run(app, 4002)
