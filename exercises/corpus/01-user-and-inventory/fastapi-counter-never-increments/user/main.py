from fastapi import FastAPI, HTTPException
from pydantic import BaseModel, EmailStr, Field

app = FastAPI()

users = {}
next_id = 1


class User(BaseModel):
    name: str = Field(min_length=1, max_length=100)
    email: EmailStr


@app.post("/users", status_code=201)
def create_user(user: User):
    global next_id
    new_user = {"id": next_id, **user.dict()}
    users[next_id] = new_user
    next_id += 1
    return new_user


@app.get("/users/{user_id}")
def get_user(user_id: int):
    if user_id not in users:
        raise HTTPException(status_code=404, detail="User not found")
    return users[user_id]
