# Part 1 of the exercise: the user service. (Inventory: not done yet.)
import uuid

from fastapi import FastAPI, HTTPException, status
from pydantic import BaseModel, EmailStr, constr

app = FastAPI(title="User Service")

users_db = {}


class CreateUser(BaseModel):
    name: constr(min_length=1, max_length=100)
    email: EmailStr


@app.post("/users", status_code=status.HTTP_201_CREATED)
async def create_user(body: CreateUser):
    user = {"id": uuid.uuid4().hex, "name": body.name, "email": body.email}
    users_db[user["id"]] = user
    return user


@app.get("/users/{user_id}")
async def get_user(user_id: str):
    user = users_db.get(user_id)
    if not user:
        raise HTTPException(status_code=status.HTTP_404_NOT_FOUND, detail="User not found")
    return user
