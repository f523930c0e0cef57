@multiplexing
Feature: IO multiplexing serves every client at once on one thread

  A thread per client works because each thread may block on its own client. IO multiplexing
  gets the same effect without the threads: one thread tells the operating system which
  sockets it is interested in and blocks in `select` until at least one of them is ready.
  Ready means that the next call will not block: the listening socket has a client waiting to
  be accepted, or a client's socket has bytes (or its end) waiting to be read. The loop then
  runs the callback registered for each ready socket, and goes back to `select`.

  No callback waits for a client that has nothing to say, so one thread keeps every
  conversation going. The catch is that every callback runs on that one thread: a callback
  that does block holds up everybody (see the chapter on a client that does not read).

  The article's text ends at its heading on IO multiplexing, so from here on the course goes
  on in its own words. The select loop below is echolab's, written as the article's servers
  would go on in Python with the `selectors` module: a callback per socket, and the echo sent
  back with the same blocking `sendall` as before. As in chapter 2, the three clients who are to
  be served at once pause 3 ticks before each word, so that their visits plainly overlap.

  Background:
    Given a multiplexing server

  @lesson
  Scenario: Three clients at once are all served at once
    When clients A, B and C connect at the same time, each sending "Hello" then "World!", pausing 3 ticks before each
    Then all 3 clients are served at the same time
    And no client waits for another
    And every echo arrives within 2 ticks of its message

  @white-box
  Scenario: One thread takes turns between all three clients
    When clients A, B and C connect at the same time, each sending "Hello" then "World!"
    Then one server thread serves all 3 clients at once
