@tool
Feature: Which models can be told apart from outside

  The specs a client can check are all that `echolab check` has to go on, so it is worth
  knowing what they can and cannot tell. Here each of echolab's own servers is started once and
  checked, black-box, where it listens, against the specs of every model, as a server someone
  else runs would be. Echo integrity and many clients are left out:
  integrity is the same duty for every model, and thirty clients are served at once exactly
  where three are, so neither tells two models apart.

  Every server passes the specs of its own model, and most fail all the others. How many
  clients a server serves at once gives away the sequential server (one) and the pool of two
  (two). A slow client gives away nothing more, but a client that does not read gives away the
  select loop: it stalls every other client, where a thread per client and an event loop keep
  serving them.

  A thread per client and async pass each other's specs, and always will: both serve every
  client at once and let no client hold up another. What differs, operating-system threads
  blocked in `recv` against one thread and an event loop, cannot be seen from outside. Only
  the server's own view (the `@white-box` scenarios) or a cost a client does not see, such as
  threads per connection, tells them apart: `echolab classify` reads that from `/proc` where
  the server runs on the same machine (chapter 12).

  echolab keeps what each model looks like from outside in one table of its own
  (support/from-outside.ts), which `echolab classify` decides by. Each scenario checks that
  what it measured is what that table predicts; the unit tests hold the examples below, and
  the table in docs/check.md, to it as well.

  Scenario Outline: The <server> server, checked against the specs of every model
    When the <server> server is checked against every model's specs
    Then it <sequential> the sequential specs, <thread-per-client> the thread-per-client specs, <thread-pool> the thread-pool specs, <multiplexing> the multiplexing specs and <async> the async specs
    And so says echolab's table of how each model looks from outside

    Examples:
      | server            | sequential | thread-per-client | thread-pool | multiplexing | async  |
      | sequential        | passes     | fails             | fails       | fails        | fails  |
      | thread-per-client | fails      | passes            | fails       | fails        | passes |
      | thread-pool       | fails      | fails             | passes      | fails        | fails  |
      | multiplexing      | fails      | fails             | fails       | passes       | fails  |
      | async             | fails      | passes            | fails       | fails        | passes |
