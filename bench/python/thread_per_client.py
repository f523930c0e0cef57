"""A thread per client, as the article writes it: the main thread accepts, and every
connection gets a thread of its own that echoes with blocking recv(4096) and sendall."""
import threading

from listener import listen


def echo(conn):
    with conn:
        try:
            while data := conn.recv(4096):
                conn.sendall(data)
        except OSError:  # the client reset the connection: it has left
            pass


server = listen()
while True:
    conn, _peer = server.accept()
    threading.Thread(target=echo, args=(conn,), daemon=True).start()
