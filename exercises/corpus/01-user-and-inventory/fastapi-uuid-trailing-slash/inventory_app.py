from uuid import UUID, uuid4

from fastapi import FastAPI, HTTPException
from pydantic import BaseModel, Field, validator

app = FastAPI()


class NewItem(BaseModel):
    name: str = Field(..., min_length=1, max_length=100)
    stock: int = Field(..., ge=0)

    @validator("stock", pre=True)
    def stock_must_be_whole(cls, v):
        # pydantic would turn 1.5 into 1 and "3" into 3
        if isinstance(v, bool) or not isinstance(v, int):
            raise ValueError("stock must be a whole number")
        return v


class Item(NewItem):
    id: UUID


db: dict[UUID, Item] = {}


@app.post("/items/", status_code=201, response_model=Item)
async def create_item(new_item: NewItem) -> Item:
    item = Item(id=uuid4(), **new_item.dict())
    db[item.id] = item
    return item


@app.get("/items/{item_id}/", response_model=Item)
async def read_item(item_id: UUID) -> Item:
    item = db.get(item_id)
    if item is None:
        raise HTTPException(404, detail="Item not found")
    return item
