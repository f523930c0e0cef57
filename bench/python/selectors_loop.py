"""IO multiplexing, as the article's servers would go on where its text stops: one thread, a DefaultSelector, and a callback
per ready socket. The listener's accepts and registers a client; a client's reads up to
4096 bytes and sends them back with a blocking sendall (the socket is left blocking)."""
import selectors

from listener import listen

selector = selectors.DefaultSelector()


def accept(server):
    conn, _peer = server.accept()
    selector.register(conn, selectors.EVENT_READ, echo)


def echo(conn):
    try:
        data = conn.recv(4096)
        if data:
            conn.sendall(data)
            return
    except OSError:  # the client reset the connection: it has left, as at EOF
        pass
    selector.unregister(conn)
    conn.close()


server = listen()
selector.register(server, selectors.EVENT_READ, accept)
while True:
    for key, _events in selector.select():
        key.data(key.fileobj)
