@thread-per-client
Feature: A thread per client serves every client at once

  The sequential loop gets stuck inside one client's conversation. The first fix keeps the
  loop but gives each conversation away: the main thread only accepts, and every new
  connection gets an operating-system thread of its own that echoes until the client leaves.
  While one thread is blocked waiting for its client, the others carry on, so nobody waits
  for anybody else.

  The price is one thread per connection. Threads cost memory, and a process can only have
  so many, so a flood of clients (or of attackers) can exhaust them.

  Where the claim is that the three are served at once, each pauses 3 ticks before each word
  rather than the article's one, so that their visits plainly overlap: a sequential server
  would take the three visits one after another, each 6 ticks long.

  Background:
    Given a thread-per-client server

  @lesson
  Scenario: Three clients at once are all served at once
    When clients A, B and C connect at the same time, each sending "Hello" then "World!", pausing 3 ticks before each
    Then all 3 clients are served at the same time
    And no client waits for another
    And every echo arrives within 2 ticks of its message

  @white-box
  Scenario: Every client gets a thread of its own
    When clients A, B and C connect at the same time, each sending "Hello" then "World!"
    Then each client is served by a thread of its own
