"""What both Python servers of the benchmark share: `--port N` (0 picks a free port), a
listening socket on 127.0.0.1 with Python's default backlog, and the same first line as
`echolab serve`, so that the benchmark starts and reads every server the same way."""
import socket
import sys


def listen():
    if len(sys.argv) != 3 or sys.argv[1] != "--port" or not sys.argv[2].isdigit():
        sys.stderr.write(f"usage: {sys.argv[0]} --port N\n")
        sys.exit(2)
    server = socket.socket()
    server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    server.bind(("127.0.0.1", int(sys.argv[2])))
    server.listen()
    print(f"listening on 127.0.0.1:{server.getsockname()[1]}", flush=True)
    return server
