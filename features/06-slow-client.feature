Feature: One slow client can make a server unavailable to everyone else

  The article's warning, made concrete. A slow client is not one on a slow network: it is one
  that connects and then takes its time, saying a word now and then. It asks for next to
  nothing, but it keeps its connection, and whatever the server set aside for that connection
  it cannot give to anybody else. So what a slow client costs the others depends on what the
  server sets aside for a connection:

  - a sequential server has one thread, and the slow client has it until it leaves;
  - a pool of two threads gives a slow client one of them: one slow client leaves the other
    thread to everybody else, two slow clients take both;
  - a thread per client, a select loop and an event loop all serve a new client without
    taking anything from the connections already there, so slow clients hold up nobody.

  Below, each slow client connects first, then four times waits 3 ticks, sends "still here"
  and waits for its echo, and leaves: it stays about 12 ticks. Right after the slow clients,
  A, B and C connect, a tenth of a tick apart, and do what the article's client program
  does: twice wait a tick, send a message and wait for its echo, then disconnect. Where the
  claim is that A, B and C are served at once, they pause 3 ticks before each word instead of
  one, so that their visits plainly overlap; they are still gone long before the slow
  clients.

  Scenario Outline: <slow clients> on <server>: <what A, B and C get>
    Given <server>
    When clients A, B and C connect after <slow clients>, each sending "Hello" then "World!"
    Then <what A, B and C get>

    @sequential @lesson
    Examples: one thread, so one slow client is enough to keep everybody else out
      | server              | slow clients  | what A, B and C get                       |
      | a sequential server | slow client S | A, B and C are served only after S leaves |

    @thread-pool
    Examples: two threads: one slow client holds one of them
      | server                              | slow clients  | what A, B and C get                               |
      | a thread-pool server with 2 threads | slow client S | A, B and C are served one at a time while S stays |

    @thread-pool @lesson
    Examples: two threads: two slow clients hold both
      | server                              | slow clients         | what A, B and C get                            |
      | a thread-pool server with 2 threads | slow clients S and T | A, B and C are served only after S or T leaves |

  Scenario Outline: <slow clients> on <server>: <what A, B and C get>
    Given <server>
    When clients A, B and C connect after <slow clients>, each sending "Hello" then "World!", pausing 3 ticks before each
    Then <what A, B and C get>

    @thread-per-client @lesson
    Examples: a thread for every client: a slow client holds only its own
      | server                     | slow clients         | what A, B and C get                                  |
      | a thread-per-client server | slow clients S and T | A, B and C are all served at once while S and T stay |

    @multiplexing @lesson
    Examples: one thread that only ever waits for whichever socket is ready first
      | server                | slow clients         | what A, B and C get                                  |
      | a multiplexing server | slow clients S and T | A, B and C are all served at once while S and T stay |

    @async @lesson
    Examples: Node's event loop: a connection with nothing to do takes nothing
      | server          | slow clients         | what A, B and C get                                  |
      | an async server | slow clients S and T | A, B and C are all served at once while S and T stay |
