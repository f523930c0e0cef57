Feature: Three remedies for slow clients, and what each one costs

  Chapter 6 stopped at the problem: a client that connects and then takes its time keeps
  whatever the server gave its connection, and on a sequential server or a full pool that is
  everything there is. The article ends its pool chapter with three ways out: end connections
  that live too long, ask every client for a minimum rate, and let some clients go first.
  Servers in daily use do each of these. None of them is free: each also cuts off, or keeps
  waiting, a client that did nothing wrong. Each rule below shows a remedy at work on the slow
  clients of chapter 6, and then what it costs.

  echolab's servers close a connection they give up on the ordinary way, so the client sees
  the server's FIN; some servers reset it instead. Both count as the server cutting the client
  off, and the timeline draws which one it was in the client's lane. When a cut comes is judged
  from what the client did last, and it may come a little after the limit, up to 3 ticks: a
  server acts on a limit when it wakes up, and a busy machine wakes it late. The limits are
  several ticks long, well over the tick the article's clients pause between words, as a
  sensible limit is: a client that talks at a normal pace is never cut off by them. Where a
  scenario just says "a server", the course runs the sequential one: what a remedy costs a
  client does not depend on the model, as the first of those scenarios shows on all five.

  Rule: A connection that has said nothing for too long is closed

    The server notes when each connection last sent it something and closes the connection
    once that is too long ago: the inactivity timeout of nginx or HAProxy, or a Python server
    calling settimeout on its socket before recv. A slow client that is silent for longer than
    that is cut off, and the clients behind it get their turn.

    @idle-timeout
    Scenario Outline: <server> cuts off <slow clients>, silent for longer than the timeout
      Given <server> that closes connections idle for 5 ticks
      When clients A, B and C connect after <slow clients>, who are silent for longer than that before each word
      Then the server cuts off <slow>, each once it has been silent that long
      And A, B and C are all served, but only once <one of them> is cut off

      @sequential @lesson
      Examples: one thread
        | server              | slow clients  | slow | one of them |
        | a sequential server | slow client S | S    | S           |

      @thread-pool
      Examples: a pool of two
        | server                              | slow clients         | slow    | one of them |
        | a thread-pool server with 2 threads | slow clients S and T | S and T | S or T      |

    @idle-timeout @thread-pool
    Scenario: Slow clients that come straight back keep a newcomer waiting no longer than the timeout
      Given a thread-pool server with 2 threads that closes connections idle for 5 ticks
      When slow clients S and T hold both threads and come straight back whenever they are cut off
      Then a newcomer who asks for an echo once a tick is always answered within that long

    @idle-timeout
    Scenario Outline: What it costs: a client that thinks longer than the timeout between two words is cut off
      Given <server> that closes connections idle for 5 ticks
      When client A sends "Hello", then thinks for longer than that before sending "World!"
      Then the server cuts off A once it has been silent that long
      And A never gets "World!" back

      @sequential
      Examples: one thread
        | server              |
        | a sequential server |

      @thread-per-client
      Examples: a thread per client
        | server                     |
        | a thread-per-client server |

      @thread-pool
      Examples: a pool of two
        | server                              |
        | a thread-pool server with 2 threads |

      @multiplexing
      Examples: a select loop
        | server                |
        | a multiplexing server |

      @async
      Examples: async and await
        | server          |
        | an async server |

  Rule: A client that sends too little, once its grace period is over, is closed

    A timeout on silence has a well-known hole: a client that sends one byte now and then is
    never silent for long, so it keeps its connection for as long as it likes (the slow attacks
    that tools such as slowhttptest mount). A rate floor closes the hole. Each client gets a
    grace period; after that, every byte it has sent buys it a little more time, and a client
    that has not sent enough for the time it has been connected is closed (Apache's
    mod_reqtimeout works this way, with a floor of so many bytes a second).

    @idle-timeout @sequential @course-only
    Scenario: A trickle of one byte a tick gets past the timeout on silence
      Given a sequential server that closes connections idle for 5 ticks
      When clients A, B and C connect after slow client S, who sends one byte a tick for 8 ticks
      Then S is never cut off
      And A, B and C are served only after S leaves

    @min-rate
    Scenario Outline: <server> with a rate floor cuts off <slow clients>, sending one byte a tick
      Given <server> that closes connections sending less than 5 bytes a tick, after a grace of 6 ticks
      When clients A, B and C connect after <slow clients>, who send one byte a tick
      Then the server cuts off <slow>, each once its grace is over and it has sent too little
      And A, B and C are all served, but only once <one of them> is cut off

      @sequential @lesson
      Examples: one thread
        | server              | slow clients  | slow | one of them |
        | a sequential server | slow client S | S    | S           |

      @thread-pool
      Examples: a pool of two
        | server                              | slow clients         | slow    | one of them |
        | a thread-pool server with 2 threads | slow clients S and T | S and T | S or T      |

    @min-rate
    Scenario: A client that takes its time within the grace period is served
      Given a server that closes connections sending less than 5 bytes a tick, after a grace of 6 ticks
      When client A waits a third of the grace period before each of "Hello" and "World!"
      Then A is served and leaves when it chooses

    @min-rate
    Scenario: What it costs: a client that thinks past its grace period before its first word is cut off
      Given a server that closes connections sending less than 5 bytes a tick, after a grace of 6 ticks
      When client A thinks for longer than the grace period before sending "Hello"
      Then the server cuts off A once its grace is over and it has sent too little
      And A never gets "Hello" back

  Rule: A connection that has lasted too long is closed, busy or not

    The bluntest remedy: every connection gets the same fixed time from the moment it is
    accepted, whatever it does with it (Go's HTTP server and HAProxy offer such a limit for a
    request). No client can keep the server for longer than that; no client can have a long
    conversation either.

    @max-lifetime
    Scenario Outline: <server> with a lifetime limit cuts off <slow clients>, who stay longer than that
      Given <server> that closes every connection 5 ticks after it began
      When clients A, B and C connect after <slow clients>, who stay longer than that
      Then the server cuts off <slow>, each once it has been connected that long
      And A, B and C are all served, but only once <one of them> is cut off

      @sequential @lesson
      Examples: one thread
        | server              | slow clients  | slow | one of them |
        | a sequential server | slow client S | S    | S           |

      @thread-pool
      Examples: a pool of two
        | server                              | slow clients         | slow    | one of them |
        | a thread-pool server with 2 threads | slow clients S and T | S and T | S or T      |

    @max-lifetime
    Scenario: What it costs: a long conversation is cut off, however busy it is
      Given a server that closes every connection 5 ticks after it began
      When client A sends "Hello" every tick for longer than that
      Then the server cuts off A once it has been connected that long, though it was never silent for long

  Rule: Clients of one class are served first

    A pool takes waiting connections in the order they arrived. It can take them by class
    instead: here, connections from one address (127.0.0.2, which is this machine too) go before
    all the others. A favoured client then waits only for a thread to come free, never for the
    queue. The price is paid by everyone else: while favoured clients keep coming, the others
    are never served at all. That is starvation.

    @priority @thread-pool @lesson
    Scenario: A favoured client that arrives last is served next
      Given a thread-pool server with 2 threads that serves clients from 127.0.0.2 first
      When slow clients S and T hold both threads, clients A and B wait for one, and then client P connects from 127.0.0.2
      Then P is served before A and B

    @priority @thread-pool
    Scenario: What it costs: while favoured clients keep coming, the others wait
      Given a thread-pool server with 2 threads that serves clients from 127.0.0.2 first
      When client A waits for a thread while clients P, Q, R, U, V and W connect from 127.0.0.2, one a tick
      Then A is served only after P, Q, R, U, V and W, though it came before most of them
