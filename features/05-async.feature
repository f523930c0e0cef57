@async
Feature: Async/await serves every client at once on Node's event loop

  The select loop, with its callbacks, is what an event loop is made of. Languages then hide
  it: with `async` and `await`, a handler for one client is written as a plain loop again
  (read, write back, until the client leaves), and every `await` hands the thread back to the
  event loop until that socket is ready. The code reads like the thread-per-client server;
  it runs like the select loop. echolab's `async` model is what a Node developer would write:
  `net` and one `async` handler per connection, on Node's own event loop.

  Why Node here, when the other chapters are written as the article's Python: echolab itself
  runs on Node, whose event loop is the one every Node server runs on, so this is async as
  people deploy it rather than a copy of one. Python's asyncio works the same way, and
  chapter 12 checks an asyncio server by the same specs.

  A write needs awaiting too. Writing to a socket hands the bytes to the operating system if
  it has room for them, and otherwise keeps them until it does; the handler then awaits the
  moment they have gone (Node's `drain`) before it reads more from that client. While it waits,
  the event loop serves everybody else. So, unlike the select loop's blocking `sendall`, a
  client that is slow to read holds up only its own handler. As in chapter 2, the three
  clients who are to be served at once pause 3 ticks before each word.

  Background:
    Given an async server

  @lesson
  Scenario: Three clients at once are all served at once
    When clients A, B and C connect at the same time, each sending "Hello" then "World!", pausing 3 ticks before each
    Then all 3 clients are served at the same time
    And no client waits for another
    And every echo arrives within 2 ticks of its message

  @white-box
  Scenario: The event loop's one thread takes turns between all three clients
    When clients A, B and C connect at the same time, each sending "Hello" then "World!"
    Then one server thread serves all 3 clients at once
