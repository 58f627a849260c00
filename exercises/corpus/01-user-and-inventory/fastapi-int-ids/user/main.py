from fastapi import FastAPI, HTTPException
from pydantic import BaseModel, EmailStr, constr

app = FastAPI(title="User service")


class UserCreate(BaseModel):
    name: constr(min_length=1, max_length=100)
    email: EmailStr


class User(UserCreate):
    id: int


users: dict[int, User] = {}


@app.post("/users", response_model=User, status_code=201)
def create_user(user: UserCreate):
    new_user = User(id=len(users) + 1, **user.dict())
    users[new_user.id] = new_user
    return new_user


@app.get("/users/{user_id}", response_model=User)
def get_user(user_id: int):
    if user_id not in users:
        raise HTTPException(status_code=404, detail="User not found")
    return users[user_id]
