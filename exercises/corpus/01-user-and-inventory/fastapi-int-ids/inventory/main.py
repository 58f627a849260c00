from fastapi import FastAPI, HTTPException
from pydantic import BaseModel, conint, constr

app = FastAPI(title="Inventory service")


class ItemCreate(BaseModel):
    name: constr(min_length=1, max_length=100)
    # strict so that 1.5 and "10" are refused instead of converted
    stock: conint(strict=True, ge=0)


class Item(ItemCreate):
    id: int


items: dict[int, Item] = {}


@app.post("/items", response_model=Item, status_code=201)
def create_item(item: ItemCreate):
    new_item = Item(id=len(items) + 1, **item.dict())
    items[new_item.id] = new_item
    return new_item


@app.get("/items/{item_id}", response_model=Item)
def get_item(item_id: int):
    if item_id not in items:
        raise HTTPException(status_code=404, detail="Item not found")
    return items[item_id]
