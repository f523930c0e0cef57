@async
Feature: Async/await serves every client at once on Node's event loop

  The select loop, with its callbacks, is what an event loop is made of. Languages then hide
  it: with `async` and `await`, a handler for one client is written as a plain loop again
  (read, write back, until the client leaves), and every `await` hands the thread back to the
  event loop until that socket is ready. The code reads like the thread-per-client server;
  it runs like the select loop. echolab's `async` model is what a Node developer would write:
  `net` and one `async` handler per connection, on Node's own event loop.

  Unlike the select loop in the previous chapter, the handler also awaits its writes: a
  client that is slow to read holds up only its own handler.

  Background:
    Given an async server

  @lesson
  Scenario: Three clients at once are all served at once
    When clients A, B and C connect at the same time, each sending "Hello" then "World!"
    Then all 3 clients are served at the same time
    And no client waits for another
    And every echo arrives within 1 tick of its message

  @white-box
  Scenario: The event loop's one thread takes turns between all three clients
    When clients A, B and C connect at the same time, each sending "Hello" then "World!"
    Then one server thread serves all 3 clients at once
