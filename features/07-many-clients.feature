@many-clients
Feature: Many clients at once

  Three clients show who waits for whom; a few dozen show what it costs. Every model that
  served three clients at once serves thirty at once just as well, and their clients cannot
  tell them apart. The difference is inside the server: a thread per client has thirty
  operating-system threads, each blocked in its own `recv`, while a select loop and an event
  loop do the same work on one thread that only ever waits for whichever socket is ready.
  Threads cost memory and a process can have only so many, which is why servers that must
  hold many connections are built on one thread and readiness.

  Threads also take a moment to start, tens of milliseconds each, and longer on a busy
  machine. A thread-per-client server that must answer thirty newcomers at once therefore
  starts its threads ahead and keeps spare ones, as thread libraries do: here, 32 of them.
  Thirty threads waking at once still take turns on the cores, so each client here waits 5
  ticks, not 1, before each of its messages.

  Scenario Outline: 30 clients at once are all served at once by <server>
    Given <server>
    When 30 clients connect at the same time, each sending "Hello" then "World!", 5 ticks apart
    Then all 30 clients are served at the same time
    And no client waits for another

    @thread-per-client
    Examples: a thread for every client
      | server                                                 |
      | a thread-per-client server that keeps 32 threads spare |

    @multiplexing
    Examples: one thread and a select loop
      | server                |
      | a multiplexing server |

    @async
    Examples: Node's event loop
      | server          |
      | an async server |

  @white-box
  Scenario Outline: Inside, <server> has <threads>
    Given <server>
    When 30 clients connect at the same time, each sending "Hello" then "World!", 5 ticks apart
    Then <what its event log shows>

    @thread-per-client
    Examples: a thread for every client
      | server                                                 | threads             | what its event log shows                     |
      | a thread-per-client server that keeps 32 threads spare | a thread per client | each client is served by a thread of its own |

    @multiplexing
    Examples: one thread and a select loop
      | server                | threads    | what its event log shows                        |
      | a multiplexing server | one thread | one server thread serves all 30 clients at once |

    @async
    Examples: Node's event loop
      | server          | threads    | what its event log shows                        |
      | an async server | one thread | one server thread serves all 30 clients at once |
