@sequential
Feature: A sequential server serves one client at a time

  The simplest echo server has one thread and one loop: accept a client, echo everything it
  sends until it disconnects, then go back for the next. Nothing stops other clients from
  connecting meanwhile: the operating system finishes their handshakes and keeps them in the
  listening socket's backlog. What they cannot get is an answer. Their messages sit unread
  until every client ahead of them has left, so each newcomer waits for the sum of everyone
  else's visits, and one client that never leaves keeps the server from everybody.

  The backlog is not endless. `listen` says how many finished handshakes the kernel may keep
  waiting for `accept` (Linux keeps one more than asked). Once it is full, the kernel ignores
  a newcomer's first packet altogether; the newcomer's side sends it again only after a
  second, and again after longer and longer waits, until there is room.

  Time in these chapters is counted in ticks. A tick stands for the article's one second, the
  pause its client program makes before each message, and lasts 100 ms here unless told
  otherwise (ECHOLAB_TICK_MS), so that a chapter runs in a few seconds. The timelines are
  drawn in ticks too.

  Each client below does what the article's client program does: it connects, then twice
  waits a tick, sends a message and waits for its echo, and then disconnects. The article's
  program also sleeps a tick after sending, before it reads the echo; `echolab clients` does
  the same, and prints the same lines. The clients here read each echo the moment it arrives
  instead, so that all the time a client spends waiting is the server's doing.

  @lesson
  Scenario: Three clients connect at once; all get in, but only one is served at a time
    Given a sequential server
    When clients A, B and C connect at the same time, each sending "Hello" then "World!"
    Then every client is connected before any message is sent
    And only one client is served at a time
    And client B gets its first echo only after client A disconnects
    And client C gets its first echo only after client B disconnects

  Scenario: Waiting clients are served in the order they connected
    Given a sequential server
    When clients A, B and C connect at the same time, each sending "Hello" then "World!"
    Then only one client is served at a time
    And the clients are served in the order they connected

  Scenario: The last client waits for the other two to be served
    Given a sequential server
    When clients A, B and C connect at the same time, each sending "Hello" then "World!"
    Then client C waits at least as long as clients A and B are served, together

  @white-box
  Scenario: A single thread does all the work
    Given a sequential server
    When clients A, B and C connect at the same time, each sending "Hello" then "World!"
    Then one server thread serves every client

  Scenario: Past the backlog, newcomers cannot even connect
    Given a sequential server with a listen backlog of 1
    When client A is being served while clients B, C, D and E connect one after another
    Then clients B and C are connected at once
    And clients D and E are connected only when they try again, a second or more later
