"""The read-only web view (`wksbm serve`): its publishing copy, its pages, and who may see them."""

import sqlite3

from wksbm_cli import db


def test_register_gives_any_connection_wksbm_sql_functions():
    conn = sqlite3.connect(":memory:")
    db.register(conn, "web")
    assert conn.execute("SELECT name_key('Besuk Agung'), wksbm_officer()").fetchone() == ("besukagung", "web")
    assert conn.execute("SELECT wksbm_now() LIKE '____-__-__T__:__:__.___Z'").fetchone() == (1,)
