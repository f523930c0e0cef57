@many-clients
Feature: Many clients at once

  Three clients show who waits for whom; thirty show that numbers change nothing a client
  sees. Every model that served three clients at once serves thirty at once just as well, and
  their clients cannot tell them apart. The difference is inside the server: a thread per client has thirty
  operating-system threads, each blocked in its own `recv`, while a select loop and an event
  loop do the same work on one thread that only ever waits for whichever socket is ready.
  Threads cost memory and a process can have only so many (chapter 10 measures both), which
  is why servers that must hold many connections are built on one thread and readiness.

  Below, thirty clients connect at once and each does what the article's client program does,
  but pauses 5 ticks before each word rather than one, so that all thirty are plainly there
  and talking at the same time.

  Scenario Outline: 30 clients at once are all served at once by <server>
    Given <server>
    When 30 clients connect at the same time, each sending "Hello" then "World!", pausing 5 ticks before each
    Then all 30 clients are served at the same time
    And no client waits for another

    @thread-per-client
    Examples: a thread for every client
      | server                     |
      | a thread-per-client server |

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
    When 30 clients connect at the same time, each sending "Hello" then "World!", pausing 5 ticks before each
    Then <what its event log shows>

    @thread-per-client
    Examples: a thread for every client
      | server                     | threads             | what its event log shows                     |
      | a thread-per-client server | a thread per client | each client is served by a thread of its own |

    @multiplexing
    Examples: one thread and a select loop
      | server                | threads    | what its event log shows                        |
      | a multiplexing server | one thread | one server thread serves all 30 clients at once |

    @async
    Examples: Node's event loop
      | server          | threads    | what its event log shows                        |
      | an async server | one thread | one server thread serves all 30 clients at once |
