Feature: A client that does not read its echoes

  Sending is not free either. What a server sends goes into its socket's send buffer and on
  into the client's receive buffer, and stays there until the client reads it. A client that
  sends a lot and reads nothing fills both; from then on, a blocking `sendall` to that client
  waits until it reads, which may be never.

  On a thread per client, that blocks one thread: the one that belongs to the client that
  does not read. On the select loop it blocks the only thread. The loop's callbacks were meant
  never to wait, yet the echo callback ends with a blocking `sendall`, so the loop stops, and
  every other client waits until the one that does not read leaves. Chapter 4's select loop
  is fine as long as every client reads its echoes, and nothing in it says what happens when
  one does not. The cure is to
  wait for writes as the loop waits for reads: keep what could not be sent, and send it when
  `select` says the socket is writable. That is what Node's event loop does when the `async`
  handler awaits a write.

  Below, client Z connects and at once sends 32 MiB, far more than the buffers hold, and
  never reads any of its echo. Once the server has taken none of Z's bytes for three ticks, A,
  B and C arrive, each doing what the article's client program does, and Z leaves 6 ticks
  after their scripts would have ended. Where the claim is that A, B and C are served at once,
  they pause 3 ticks before each word instead of one, so that their visits plainly overlap.

  @multiplexing
  Scenario: On a select loop, a client that does not read stalls everyone
    Given a multiplexing server
    When client Z sends 32 MiB and never reads, and once the server takes no more of it, clients A, B and C connect, each sending "Hello" then "World!"
    Then A, B and C are held up until Z leaves

  @multiplexing @white-box
  Scenario: Meanwhile the select loop is stuck in one call, a sendall to Z
    Given a multiplexing server
    When client Z sends 32 MiB and never reads, and once the server takes no more of it, clients A, B and C connect, each sending "Hello" then "World!"
    Then the server makes no call at all while A, B and C wait for Z to leave

  Scenario Outline: On <server>, a client that does not read holds up only itself
    Given <server>
    When client Z sends 32 MiB and never reads, and once the server takes no more of it, clients A, B and C connect, each sending "Hello" then "World!", pausing 3 ticks before each
    Then A, B and C are all served at once while Z stays

    @thread-per-client
    Examples: a thread for every client: only Z's own thread is blocked
      | server                     |
      | a thread-per-client server |

    @async
    Examples: Node's event loop: only Z's handler waits, on its write
      | server          |
      | an async server |
