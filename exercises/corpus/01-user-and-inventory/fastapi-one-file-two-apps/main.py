"""Both services of exercise 01 in one file. Each is started on its own:

    uvicorn main:user_app --port 8001
    uvicorn main:inventory_app --port 8002

They share no data: each process only ever fills its own dict.
"""
from itertools import count

from fastapi import FastAPI, HTTPException
from pydantic import BaseModel, EmailStr, conint, constr

Name = constr(min_length=1, max_length=100)

# ---------- user service ----------

user_app = FastAPI(title="user")
users = {}
user_ids = count(1)


class UserIn(BaseModel):
    name: Name
    email: EmailStr


@user_app.post("/users", status_code=201)
def create_user(data: UserIn):
    user = {"id": f"u{next(user_ids)}", **data.dict()}
    users[user["id"]] = user
    return user


@user_app.get("/users/{user_id}")
def get_user(user_id: str):
    if user_id not in users:
        raise HTTPException(status_code=404, detail="User not found")
    return users[user_id]


# ---------- inventory service ----------

inventory_app = FastAPI(title="inventory")
items = {}
item_ids = count(1)


class ItemIn(BaseModel):
    name: Name
    stock: conint(ge=0, strict=True)


@inventory_app.post("/items", status_code=201)
def create_item(data: ItemIn):
    item = {"id": f"i{next(item_ids)}", **data.dict()}
    items[item["id"]] = item
    return item


@inventory_app.get("/items/{item_id}")
def get_item(item_id: str):
    if item_id not in items:
        raise HTTPException(status_code=404, detail="Item not found")
    return items[item_id]
