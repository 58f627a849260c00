from fastapi import FastAPI, HTTPException
from pydantic import BaseModel, conint, constr

app = FastAPI()


class ItemIn(BaseModel):
    name: constr(min_length=1, max_length=100)
    stock: conint(ge=0)


class ItemOut(ItemIn):
    id: int


fake_db: dict[int, ItemOut] = {}
last_id = 0


@app.post("/items", response_model=ItemOut, status_code=201)
def create_item(payload: ItemIn):
    global last_id
    last_id += 1
    fake_db[last_id] = ItemOut(id=last_id, **payload.dict())
    return fake_db[last_id]


@app.get("/items/{item_id}", response_model=ItemOut)
def read_item(item_id: int):
    try:
        return fake_db[item_id]
    except KeyError:
        raise HTTPException(status_code=404, detail="Item not found")
