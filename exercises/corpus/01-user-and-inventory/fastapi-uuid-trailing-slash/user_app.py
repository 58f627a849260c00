from uuid import UUID, uuid4

from fastapi import FastAPI, HTTPException
from pydantic import BaseModel, EmailStr, Field

app = FastAPI()


class NewUser(BaseModel):
    name: str = Field(..., min_length=1, max_length=100)
    email: EmailStr


class User(NewUser):
    id: UUID


db: dict[UUID, User] = {}


@app.post("/users/", status_code=201, response_model=User)
async def create_user(new_user: NewUser) -> User:
    user = User(id=uuid4(), **new_user.dict())
    db[user.id] = user
    return user


@app.get("/users/{user_id}/", response_model=User)
async def read_user(user_id: UUID) -> User:
    user = db.get(user_id)
    if user is None:
        raise HTTPException(404, detail="User not found")
    return user
