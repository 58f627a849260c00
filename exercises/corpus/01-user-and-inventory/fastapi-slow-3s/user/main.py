from fastapi import FastAPI, HTTPException
from pydantic import BaseModel, EmailStr, constr

app = FastAPI()

users = {}


class UserCreate(BaseModel):
    name: constr(min_length=1, max_length=100)
    email: EmailStr


@app.post("/users", status_code=201)
async def create_user(user: UserCreate):
    user_id = len(users) + 1
    users[user_id] = {"id": user_id, **user.dict()}
    return users[user_id]


@app.get("/users/{user_id}")
async def get_user(user_id: int):
    if user_id not in users:
        raise HTTPException(status_code=404, detail="User not found")
    return users[user_id]
