from uuid import uuid4

from fastapi import FastAPI, HTTPException
from pydantic import BaseModel, EmailStr, constr

app = FastAPI()

users = {}


class UserCreate(BaseModel):
    name: constr(max_length=100)
    email: EmailStr


@app.post("/users", status_code=201)
def create_user(user: UserCreate):
    user_id = str(uuid4())
    users[user_id] = {"id": user_id, "name": user.name, "email": user.email}
    return users[user_id]


@app.get("/users/{user_id}")
def get_user(user_id: str):
    if user_id not in users:
        raise HTTPException(status_code=404, detail="User not found")
    return users[user_id]
