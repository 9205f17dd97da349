#!/usr/bin/env python3
"""Wait for alliance alerts and show each one as it is committed (doc/alerts.md).

The notification carries ids only ({"alert": id, "table": "schema.name", "client": key}); the
alert itself is read from its table with the listener's own rights, so row-level security
decides what each listener may see.  Connects with the usual libpq settings (PGHOST, PGPORT,
PGDATABASE, PGUSER, or a connection string as the first argument).

usage: alerts_listener.py [conninfo] [--count N] [--timeout SECONDS]
"""
import argparse
import json
import select

import psycopg2
import psycopg2.extensions
from psycopg2 import sql


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument('conninfo', nargs='?', default='')
    ap.add_argument('--count', type=int, default=0, help='stop after this many alerts (0: never)')
    ap.add_argument('--timeout', type=float, default=0, help='stop after this many idle seconds (0: never)')
    a = ap.parse_args()

    conn = psycopg2.connect(a.conninfo)
    conn.set_isolation_level(psycopg2.extensions.ISOLATION_LEVEL_AUTOCOMMIT)
    cur = conn.cursor()
    cur.execute('LISTEN alliance_alert')
    print('listening', flush=True)
    seen = 0
    while a.count == 0 or seen < a.count:
        if select.select([conn], [], [], a.timeout or None) == ([], [], []):
            break                                   # idle for --timeout seconds
        conn.poll()
        while conn.notifies:
            note = conn.notifies.pop(0)
            msg = json.loads(note.payload)
            schema, table = msg['table'].split('.', 1) if '.' in msg['table'] else ('public', msg['table'])
            cur.execute(sql.SQL('SELECT kind, method, session_key::text, status, detail::text FROM {} WHERE id = %s')
                        .format(sql.Identifier(schema, table)), (msg['alert'],))
            row = cur.fetchone()
            if row:
                kind, method, session, status, detail = row
                print(f"alert {msg['alert']}: client {msg['client']} session {session}: {kind} ({method}), "
                      f"{status}, {detail}", flush=True)
            seen += 1
    conn.close()


if __name__ == '__main__':
    main()
