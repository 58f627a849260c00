from fastapi import FastAPI, HTTPException
from pydantic import BaseModel, EmailStr, constr

from db import connect, lock

app = FastAPI()
db = connect("CREATE TABLE IF NOT EXISTS users (id INTEGER PRIMARY KEY AUTOINCREMENT, name TEXT, email TEXT);")


class UserIn(BaseModel):
    name: constr(min_length=1, max_length=100)
    email: EmailStr


@app.post("/users", status_code=201)
def create_user(user: UserIn):
    with lock, db:
        cur = db.execute("INSERT INTO users (name, email) VALUES (?, ?)", (user.name, user.email))
    return {"id": cur.lastrowid, "name": user.name, "email": user.email}


@app.get("/users/{user_id}")
def get_user(user_id: int):
    with lock:
        row = db.execute("SELECT id, name, email FROM users WHERE id = ?", (user_id,)).fetchone()
    if row is None:
        raise HTTPException(404, "User not found")
    return {"id": row[0], "name": row[1], "email": row[2]}
