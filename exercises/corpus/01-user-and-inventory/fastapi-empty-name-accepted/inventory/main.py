from uuid import uuid4

from fastapi import FastAPI, HTTPException
from pydantic import BaseModel, conint, constr

app = FastAPI()

items = {}


class ItemCreate(BaseModel):
    name: constr(min_length=1, max_length=100)
    stock: conint(ge=0, strict=True)


@app.post("/items", status_code=201)
def create_item(item: ItemCreate):
    item_id = str(uuid4())
    items[item_id] = {"id": item_id, "name": item.name, "stock": item.stock}
    return items[item_id]


@app.get("/items/{item_id}")
def get_item(item_id: str):
    if item_id not in items:
        raise HTTPException(status_code=404, detail="Item not found")
    return items[item_id]
