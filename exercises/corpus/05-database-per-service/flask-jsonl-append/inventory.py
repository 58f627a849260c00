from flask import Flask, jsonify, request

from log import append, error, invalid, lock, replay, run

app = Flask(__name__)
items, reservations = {}, {}
for event in replay():  # {"type": "item", ...} creates an item, {"type": "reservation", ...} takes its stock
    if event["type"] == "item":
        items[event["id"]] = {"id": event["id"], "name": event["name"], "stock": event["stock"]}
    else:
        reservations[event["order_id"]] = event
        items[event["item_id"]]["stock"] -= event["quantity"]


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
        append({"type": "item", **item})
        items[item["id"]] = item
    return jsonify(item), 201


@app.get("/items/<int:item_id>")
def get_item(item_id):
    if item_id not in items:
        return error(404, "Item not found")
    return jsonify(items[item_id])


@app.get("/stock/<int:item_id>")
def get_stock(item_id):
    if item_id not in items:
        return error(404, "Item not found")
    return jsonify(available=items[item_id]["stock"])


@app.post("/reservations")
def reserve():
    body = request.get_json(silent=True) or {}
    order_id, quantity = str(body.get("order_id")), int(body.get("quantity", 1))
    item_id = int(body["item_id"]) if str(body.get("item_id", "")).isdigit() else None
    with lock:
        if item_id not in items:
            return error(404, "Item not found")
        event = {"type": "reservation", "order_id": order_id, "item_id": item_id, "quantity": quantity}
        if order_id in reservations:
            return jsonify(event), 201
        if items[item_id]["stock"] < quantity:
            return error(409, "Out of stock")
        append(event)
        reservations[order_id] = event
        items[item_id]["stock"] -= quantity
    return jsonify(event), 201


if __name__ == "__main__":
    run(app, 4002)
