import asyncio

from fastapi import FastAPI, HTTPException, Request
from pydantic import BaseModel, conint, constr

app = FastAPI()

items = {}


@app.middleware("http")
async def slow_warehouse(request: Request, call_next):
    # the real warehouse database is slow: pretend it takes 3 seconds
    await asyncio.sleep(3)
    return await call_next(request)


class ItemCreate(BaseModel):
    name: constr(min_length=1, max_length=100)
    stock: conint(ge=0, strict=True)


@app.post("/items", status_code=201)
async def create_item(item: ItemCreate):
    item_id = len(items) + 1
    items[item_id] = {"id": item_id, **item.dict()}
    return items[item_id]


@app.get("/items/{item_id}")
async def get_item(item_id: int):
    if item_id not in items:
        raise HTTPException(status_code=404, detail="Item not found")
    return items[item_id]
