# One SQLite connection per service, in WAL mode: a commit lands in <DATA_FILE>-wal before the answer goes out.
import os
import sqlite3
import threading

lock = threading.Lock()


def connect(schema: str) -> sqlite3.Connection:
    conn = sqlite3.connect(os.environ["DATA_FILE"], check_same_thread=False)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.executescript(schema)
    conn.commit()
    return conn
