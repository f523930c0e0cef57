@tool
Feature: Check your own echo server against the specs, or let echolab say which model it follows

  The specs judge a server only by what its clients see, so they can judge any echo server
  that speaks TCP, in any language. `echolab check --model <model> -- <command>` starts the
  command (with `{port}` in it replaced by a free port), runs every client-observable scenario
  of that model against it, prints each scenario's timeline, and exits with 0 when the server
  conforms, 1 when a scenario fails, and 2 when the server could not be run at all: the command
  is not found, or it exits or never opens its port before a client could connect.

  A server that starts, listens and then dies while the clients talk to it has been run, and
  it does not conform. Real servers die this way more often than one might think: a client
  that sends a lot, never reads its echoes and then hangs up leaves data unread on its side,
  so its kernel answers the server with a reset. A `sendall` blocked on that client then fails
  with ECONNRESET; a non-blocking `send` that finds no room fails with EAGAIN; a Node socket
  with no 'error' handler takes the whole process down. The scenario in which it happened fails,
  and its reason says what the clients had just done and quotes the line of the server's error
  output that names the error. Every scenario starts a fresh instance of the server, so the
  others still say what they have to say.

  A listen backlog is how many connections the kernel holds for a server until its accept
  loop takes them. Clients that arrive while it is full have their SYN dropped, and their
  kernel tries again a second later: they connect a second late. That is no model's doing, so
  check judges every client on what it saw once it was connected, and says as a warning how
  many clients connected late. Python's `socketserver` listens with a backlog of 5, which thirty
  clients at once overflow, unless its accept loop happens to keep up with them: whether it
  does is the machine's business, so the scenario below holds either way.

  A server that is already running, in a container, under a debugger or started by a service
  manager, is checked where it listens: `echolab check --model <model> --port <port>`, with
  `--host` if it is elsewhere, and no command. echolab then starts and stops nothing. It waits
  until the port accepts a connection, and every scenario talks to that one instance, one after
  another, so a scenario may begin while the connections of the one before are still closing.
  A server that dies ends the check: the scenario in which it stopped accepting connections
  fails and says so, and the ones after it are not run.

  `--model all` checks a server against the specs of every model in turn, each until its first
  failing scenario, and prints the server's row of the table in the chapter on telling models
  apart. It exits with 0 when the server conforms to at least one model. For a server on this
  machine, the specs of a thread per client and of async also count the threads its idle
  clients cost it, so its row tells those two apart, which the table, of what clients can
  tell, cannot.

  A server with a remedy for slow clients (chapter 11) is checked against what its author says
  it does: `echolab check --model sequential --idle-timeout 2000 -- <command>` runs the
  scenarios of chapter 11 on a timeout on silence, with the server's 2000 ms in place of the
  chapter's ticks, and only those. A remedy changes what clients see, which is its point, so
  the model's own scenarios would judge the remedy rather than the model. A server that cuts a
  client off too soon, too late or never does not conform, and the failing scenario says when it
  did. Unix tools have such limits: socat's `-T` closes a connection after that many seconds
  with nothing going either way, and run under coreutils' `timeout`, the program serving a
  connection is ended after a fixed time, however busy.

  `echolab classify -- <command>` needs no model: it probes the server with clients of its
  own (how many it serves at once, in what order the others get in, whether an idle client
  holds up the rest, whether large binary payloads come back whole, whether one that never
  reads holds up the rest) and says which model the server behaves like, with the evidence.
  Who is served and whether the echo is right are two questions: a client is served once bytes
  come back to it at all, so a server whose echo is wrong still gets the model its serving
  matches, and beside it what is wrong with the echo, in words its author can act on.

  Clients cannot tell a thread per client from async: both serve everyone at once, and nobody
  holds anybody up. The machine the server runs on can. Where the clients leave those two,
  classify opens twenty idle connections to the server, five at a time, and reads from `/proc`
  what its processes hold after each five: a thread for each connection is a thread per client,
  a process for each (socat's `fork`) a process per client, which clients see as a thread per
  client, and no thread added is one thread for all connections, an event loop or a select loop
  that never blocks (Node has a few threads of its own beside its event loop; they do not grow).
  Of a server on another machine, or one whose process it may not look into, it says both, and
  why it could not look.

  The servers here are small Python programs, two in Node, and socat. Some are written right;
  the others are each wrong in one way, and the specs must catch them. Two are select loops:
  `select_sendall.py` is written as chapter 4's loop is, and its blocking `sendall` lets a
  client that does not read stall everyone, so it is what the multiplexing specs describe; `select_loop.py` keeps
  what a client has not read yet and sends it when the socket is writable, so nobody can stall
  it: from outside it is a thread per client or async, and from this machine, where its one
  thread can be seen holding every connection, async. `asyncio_streams.py` and `net_echo.js`
  are event loops written right, on asyncio's streams and on Node's `net`, and
  `article_threads.py` is the article's own thread per client.

  Real servers are not always written with care for what a client may do, and a verdict
  must hold for them too. `socketserver_tcp.py` is Python's own `socketserver.TCPServer`,
  which lets only five clients wait to be accepted (its listen backlog); the kernel drops the
  connection attempts of the others until there is room, so a probe that kept many clients
  waiting would wait for ever; `socketserver_threading.py` is its `ThreadingTCPServer`, with the
  same backlog. `fragile_sequential.py` is written the way the article writes its server, with
  nothing around `sendall`: a client that hangs up without reading its echoes kills it.
  `pipe_echo.js` is Node's shortest echo server, `socket.pipe(socket)` with no handler for a
  socket's errors, which the same client kills, and `selectors_send.py` the select loop of
  Python's `selectors` documentation, whose plain non-blocking `send` fails as soon as that
  client has filled the buffers. `pipe_relay.py` passes each client's bytes through a pipe and
  stops echoing for good when more arrives at once than its pipe holds: only a large payload
  sent fast shows it. `upper_casing.py` answers every client at once, upper-cased, and
  `one_message.py`, whose handler lost its loop, closes each connection after the first echo.

  Scenario Outline: A server written right conforms to its model: <server>
    When "<server>" is checked against the <model> specs
    Then it conforms
    And nothing it started is still running

    Examples:
      | server                                  | model             |
      | sequential.py                           | sequential        |
      | thread_per_client.py                    | thread-per-client |
      | select_sendall.py                       | multiplexing      |
      | select_loop.py                          | async             |
      | socketserver_threading.py --backlog 128 | thread-per-client |

  Scenario: A host name is looked up once, so the clients connect in the order they were started
    When "sequential.py" is checked against the sequential specs at the host "localhost"
    Then it conforms

  Scenario: A pool of three conforms to the pool specs for three workers
    When "thread_pool.py --workers 3" is checked against the thread-pool specs for 3 workers
    Then it conforms

  Scenario Outline: A server that is wrong in one way is caught: <server>
    When "<server>" is checked against the thread-pool specs for 2 workers
    Then it does not conform: "<scenario>" fails

    Examples:
      | server           | scenario                                                                   |
      | pool_of_three.py | With a pool of two, the third client waits for one of the first two to leave |
      | lifo_pool.py     | A pool of 2 serves 2 at a time, the rest first come, first served        |

  Scenario: A server that loses bytes past 64 KiB is caught by the integrity spec
    When "truncating.py" is checked against the thread-per-client specs
    Then it does not conform: "Binary payloads from nothing to 3 MiB come back exactly from a thread-per-client server" fails

  Scenario Outline: A server that dies of what a client did does not conform, and check says why: <server>
    When "<server>" is checked against the <model> specs
    Then it does not conform: "<scenario>" fails, because "<reason>"
    And the scenario after it still ran, against a fresh instance of the server that echoed its clients
    And nothing it started is still running

    Examples:
      | server                  | model        | scenario                                                             | reason                                                                                                                                                                    |
      | fragile_sequential.py   | multiplexing | On a select loop, a client that does not read stalls everyone        | the server exited with status 1 when client Z, which does not read its echoes, hung up: ConnectionResetError: [Errno 104] Connection reset by peer                        |
      | selectors_send.py       | multiplexing | On a select loop, a client that does not read stalls everyone        | the server exited with status 1 while client Z, which does not read its echoes, was sending <binary 32 MiB>: BlockingIOError: [Errno 11] Resource temporarily unavailable |
      | pipe_echo.js            | async        | On an async server, a client that does not read holds up only itself | the server exited with status 1 when client Z, which does not read its echoes, hung up: Error: write ECONNRESET                                                           |

  Scenario: Clients that connect late because the listen backlog is full are a warning, not a failure
    When "socketserver_threading.py" is checked against the thread-per-client specs
    Then it conforms
    And it warns that the server's listen backlog was full exactly when some of the thirty clients connected after others had already sent

  Scenario: A server that is already running is checked where it listens, and left running
    Given "thread_per_client.py" is already running, started by someone else
    When it is checked where it listens against the thread-per-client specs, with a JUnit report
    Then it conforms
    And the JUnit report has a test case for every scenario it printed, and no failure
    And the server is still running

  Scenario: A running server that stops partway ends the check
    Given "sequential.py" is already running, started by someone else
    When it is checked where it listens against the sequential specs, and stopped once the first scenario has ended
    Then it does not conform: a scenario fails because the server stopped accepting connections, and the ones after it are not run

  Scenario Outline: Checked against every model, a server gets its row of the table: <server>
    When "<server>" is checked against every model's specs
    Then it prints that it <row>

    Examples:
      | server               | row                                                                                                |
      | sequential.py        | passes sequential, fails thread-per-client, fails thread-pool, fails multiplexing and fails async |
      | thread_per_client.py | fails sequential, passes thread-per-client, fails thread-pool, fails multiplexing and fails async  |

  Scenario Outline: classify names the model each server behaves like: <server>
    When "<server>" is classified
    Then it says that it behaves like "<model>"

    Examples:
      | server                     | model                                    |
      | sequential.py              | sequential                               |
      | thread_per_client.py       | thread-per-client          |
      | select_loop.py             | async                      |
      | select_sendall.py          | multiplexing               |
      | thread_pool.py --workers 3 | thread-pool with 3 workers               |
      | pool_of_three.py           | thread-pool with 3 workers               |
      | select_blocking.py         | sequential                               |
      | socketserver_tcp.py        | sequential                               |

  Scenario Outline: classify tells apart, by what the machine sees, servers that clients cannot: <server>
    When "<server>" is classified
    Then it says that it behaves like "<model>", as this machine sees <seen>

    Examples:
      | server                                                         | model             | seen                           |
      | article_threads.py                                             | thread-per-client | a thread per client            |
      | asyncio_streams.py                                             | async             | one thread for all connections |
      | net_echo.js                                                    | async             | one thread for all connections |
      | socat TCP-LISTEN:{port},fork,reuseaddr,bind=127.0.0.1 EXEC:cat | thread-per-client | a process per client           |

  Scenario Outline: classify finds no model for a server that breaks a rule of every model: <server>
    When "<server>" is classified
    Then it says that it behaves like no model, the closest being "<closest>"

    Examples:
      | server        | closest                                  |
      | lifo_pool.py  | thread-pool with 2 workers               |

  Scenario Outline: classify names the model a server whose echo is wrong serves like, and what is wrong with its echo: <server>
    When "<server>" is classified
    Then it says that it behaves like "<model>", but that its echo is wrong: <problem>

    Examples:
      | server          | model                      | problem                                                                              |
      | upper_casing.py | thread-per-client          | client A's echo of "hello from A" came back as "HELLO FROM A": letters changed case |
      | one_message.py  | thread-per-client          | the server closed client A's connection after the first echo, before A had closed it |
      | truncating.py   | thread-per-client          | of the 64 KiB + 1 B payload, only the first 64 KiB came back within 2126 ms         |
      | pipe_relay.py   | thread-per-client          | MiB payload                                                                          |

  Scenario: classify, too, judges a server that is already running, and leaves it running
    Given "sequential.py" is already running, started by someone else
    When it is classified where it listens
    Then it says that it behaves like "sequential"
    And the server is still running

  Scenario: A server that a client kills still gets a verdict, and the line it died with
    When "fragile_sequential.py" is classified
    Then it says that it behaves like "sequential", but that it crashes when a client hangs up without reading its echoes
    And it quotes the server's last words: "ConnectionResetError: [Errno 104] Connection reset by peer"

  Scenario: So does Node's shortest echo server, which the same client kills
    When "pipe_echo.js" is classified
    Then it says that it behaves like "async", but that it crashes when a client hangs up without reading its echoes

  Scenario Outline: Bad input gets one line and status 2, and nothing is left running: <case>
    When echolab is run with "<command line>"
    Then it stops with status 2 and the one line '<line>'
    And nothing it started is still running

    Examples:
      | case                    | command line                                                           | line                                                                                                      |
      | no server               | check --model sequential                                               | check: no server; put its command after --, as in: echolab check --model sequential -- python3 my_server.py --port {port}, or give the --port of one that is running |
      | unknown model           | check --model round-robin -- python3 x.py                              | unknown model "round-robin"; the models are: sequential, thread-per-client, thread-pool, multiplexing, async |
      | workers not a number    | check --model thread-pool --workers two -- python3 x.py                | --workers must be a whole number from 1 to 1000, not "two"                                               |
      | workers zero            | check --model thread-pool --workers 0 -- python3 x.py                  | --workers must be a whole number from 1 to 1000, not "0"                                                 |
      | command not found       | check --model sequential -- no-such-server --port {port}               | command not found: no-such-server                                                                         |
      | server that exits       | check --model sequential -- python3 -c exit(3) {port}                  | server "python3 -c exit(3) P" exited with status 3 before listening on 127.0.0.1:P                      |
      | nothing running there   | classify --port 9 --startup-timeout 1                                  | nothing accepted a connection on 127.0.0.1:9 within 1 s                                                   |
      | unresolvable host       | check --model sequential --host nowhere.invalid -- python3 x.py        | --host nowhere.invalid: cannot look up that name (ENOTFOUND)                                              |
      | classify, unresolvable  | classify --host nowhere.invalid -- python3 x.py                        | --host nowhere.invalid: cannot look up that name (ENOTFOUND)                                              |

  Scenario Outline: A server checked against the remedy it is said to have: <server>, said to <claim>
    When "<server>" is checked against the <model> specs with "<options>"
    Then <verdict>

    Examples: servers that have the remedy they are said to have
      | server                                                                                | model             | options            | claim                                           | verdict     |
      | socketserver_timeout.py --timeout 0.5                                                 | sequential        | --idle-timeout 500 | close a connection silent for half a second     | it conforms |
      | socat -T0.5 TCP-LISTEN:{port},fork,reuseaddr,bind=127.0.0.1 EXEC:cat                   | thread-per-client | --idle-timeout 500 | close a connection silent for half a second     | it conforms |
      | socat TCP-LISTEN:{port},fork,reuseaddr,bind=127.0.0.1 SYSTEM:'timeout 0.5 cat'         | thread-per-client | --max-lifetime 500 | end every connection half a second after it began | it conforms |

    Examples: servers that do not
      | server                                                   | model             | options            | claim                                       | verdict                                                                                                                                       |
      | socat TCP-LISTEN:{port},fork,reuseaddr,bind=127.0.0.1 EXEC:cat | thread-per-client | --idle-timeout 500 | close a connection silent for half a second | it does not conform: "What it costs: a client that thinks longer than the timeout between two words is cut off" fails, because "the server never cut A off: A left when it chose" |
      | socketserver_timeout.py --timeout 0.2                          | sequential        | --idle-timeout 500 | close a connection silent for half a second | it does not conform: "What it costs: a client that thinks longer than the timeout between two words is cut off" fails, because "the server closed A's connection sooner than the 5.00 ticks it allows" |
