from fastapi import FastAPI, HTTPException
from pydantic import BaseModel, conint, constr

from db import connect, lock

app = FastAPI()
db = connect(
    "CREATE TABLE IF NOT EXISTS items (id INTEGER PRIMARY KEY AUTOINCREMENT, name TEXT, stock INTEGER);"
    "CREATE TABLE IF NOT EXISTS reservations (order_id TEXT PRIMARY KEY, item_id INTEGER, quantity INTEGER);"
)


class ItemIn(BaseModel):
    name: constr(min_length=1, max_length=100)
    stock: conint(strict=True, ge=0)


class ReservationIn(BaseModel):
    order_id: str
    item_id: int
    quantity: conint(ge=1) = 1


@app.post("/items", status_code=201)
def create_item(item: ItemIn):
    with lock, db:
        cur = db.execute("INSERT INTO items (name, stock) VALUES (?, ?)", (item.name, item.stock))
    return {"id": cur.lastrowid, "name": item.name, "stock": item.stock}


@app.get("/items/{item_id}")
def get_item(item_id: int):
    with lock:
        row = db.execute("SELECT id, name, stock FROM items WHERE id = ?", (item_id,)).fetchone()
    if row is None:
        raise HTTPException(404, "Item not found")
    return {"id": row[0], "name": row[1], "stock": row[2]}


@app.get("/stock/{item_id}")
def get_stock(item_id: int):
    return {"available": get_item(item_id)["stock"]}


@app.post("/reservations", status_code=201)
def reserve(r: ReservationIn):
    with lock, db:
        if db.execute("SELECT 1 FROM reservations WHERE order_id = ?", (r.order_id,)).fetchone():
            return r.dict()  # once per order_id: a retry takes nothing more
        row = db.execute("SELECT stock FROM items WHERE id = ?", (r.item_id,)).fetchone()
        if row is None:
            raise HTTPException(404, "Item not found")
        if row[0] < r.quantity:
            raise HTTPException(409, "Out of stock")
        db.execute("UPDATE items SET stock = stock - ? WHERE id = ?", (r.quantity, r.item_id))
        db.execute("INSERT INTO reservations VALUES (?, ?, ?)", (r.order_id, r.item_id, r.quantity))
    return r.dict()
