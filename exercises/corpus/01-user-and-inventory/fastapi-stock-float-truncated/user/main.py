from fastapi import FastAPI, HTTPException
from pydantic import BaseModel, EmailStr, constr

app = FastAPI()


class UserIn(BaseModel):
    name: constr(min_length=1, max_length=100)
    email: EmailStr


class UserOut(UserIn):
    id: int


fake_db: dict[int, UserOut] = {}
last_id = 0


@app.post("/users", response_model=UserOut, status_code=201)
def create_user(payload: UserIn):
    global last_id
    last_id += 1
    fake_db[last_id] = UserOut(id=last_id, **payload.dict())
    return fake_db[last_id]


@app.get("/users/{user_id}", response_model=UserOut)
def read_user(user_id: int):
    try:
        return fake_db[user_id]
    except KeyError:
        raise HTTPException(status_code=404, detail="User not found")
