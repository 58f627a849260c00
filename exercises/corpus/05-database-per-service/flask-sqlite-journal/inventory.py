import threading

from flask import Flask, jsonify, request

from common import db, error, init, invalid, run

app = Flask(__name__)
lock = threading.Lock()
init(
    "CREATE TABLE IF NOT EXISTS items (id INTEGER PRIMARY KEY AUTOINCREMENT, name TEXT, stock INTEGER);"
    "CREATE TABLE IF NOT EXISTS reservations (order_id TEXT PRIMARY KEY, item_id INTEGER, quantity INTEGER);"
)


def find(conn, item_id):
    return conn.execute("SELECT id, name, stock FROM items WHERE id = ?", (item_id,)).fetchone()


@app.post("/items")
def create_item():
    body = request.get_json(silent=True) or {}
    name, stock = body.get("name"), body.get("stock")
    if not isinstance(name, str) or not 1 <= len(name) <= 100:
        return invalid("name", "name must have 1 to 100 characters")
    if type(stock) is not int or stock < 0:
        return invalid("stock", "stock must be a whole number, 0 or more")
    with db() as conn:
        cur = conn.execute("INSERT INTO items (name, stock) VALUES (?, ?)", (name, stock))
    return jsonify(id=cur.lastrowid, name=name, stock=stock), 201


@app.get("/items/<int:item_id>")
def get_item(item_id):
    with db() as conn:
        row = find(conn, item_id)
    if row is None:
        return error(404, "Item not found")
    return jsonify(id=row[0], name=row[1], stock=row[2])


@app.get("/stock/<int:item_id>")
def get_stock(item_id):
    with db() as conn:
        row = find(conn, item_id)
    if row is None:
        return error(404, "Item not found")
    return jsonify(available=row[2])


@app.post("/reservations")
def reserve():
    body = request.get_json(silent=True) or {}
    order_id, quantity = str(body.get("order_id")), int(body.get("quantity", 1))
    try:
        item_id = int(body.get("item_id"))
    except (TypeError, ValueError):
        return error(404, "Item not found")
    with lock, db() as conn:
        if conn.execute("SELECT 1 FROM reservations WHERE order_id = ?", (order_id,)).fetchone():
            return jsonify(order_id=order_id, item_id=item_id, quantity=quantity), 201
        row = find(conn, item_id)
        if row is None:
            return error(404, "Item not found")
        if row[2] < quantity:
            return error(409, "Out of stock")
        conn.execute("UPDATE items SET stock = stock - ? WHERE id = ?", (quantity, item_id))
        conn.execute("INSERT INTO reservations VALUES (?, ?, ?)", (order_id, item_id, quantity))
    return jsonify(order_id=order_id, item_id=item_id, quantity=quantity), 201


@app.errorhandler(404)
def not_found(_):
    return error(404, "Not Found")


if __name__ == "__main__":
    run(app, 4002)
