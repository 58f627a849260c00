from fastapi import FastAPI, HTTPException
from pydantic import BaseModel, Field, StrictInt

app = FastAPI()

items = {}
next_id = 1


class Item(BaseModel):
    name: str = Field(min_length=1, max_length=100)
    stock: StrictInt

    class Config:
        schema_extra = {"example": {"name": "lamp", "stock": 7}}


@app.post("/items", status_code=201)
def create_item(item: Item):
    if item.stock < 0:
        raise HTTPException(
            status_code=422,
            detail=[{"loc": ["body", "stock"], "msg": "stock must be 0 or more", "type": "value_error"}],
        )
    new_item = {"id": next_id, **item.dict()}
    items[next_id] = new_item
    return new_item


@app.get("/items/{item_id}")
def get_item(item_id: int):
    if item_id not in items:
        raise HTTPException(status_code=404, detail="Item not found")
    return items[item_id]
