# Users are few and simple: a dict is enough (the chapter's own `users = {}`).
from itertools import count

from fastapi import FastAPI, HTTPException
from pydantic import BaseModel, EmailStr, constr

app = FastAPI()
users: dict[int, dict] = {}
ids = count(1)


class UserIn(BaseModel):
    name: constr(min_length=1, max_length=100)
    email: EmailStr


@app.post("/users", status_code=201)
def create_user(user: UserIn):
    stored = {"id": next(ids), "name": user.name, "email": user.email}
    users[stored["id"]] = stored
    return stored


@app.get("/users/{user_id}")
def get_user(user_id: int):
    if user_id not in users:
        raise HTTPException(404, "User not found")
    return users[user_id]
