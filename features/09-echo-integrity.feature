@integrity
Feature: An echo comes back byte for byte, whatever its size and however it is cut

  Whatever the model, an echo server has one duty: every byte a client sends comes back, in
  order, and nothing else. TCP delivers a stream of bytes, not messages: what a client sends in
  one go may reach the server in several pieces, and several sends may arrive as one. A server
  that expects one `recv` per message, stops at the size of its buffer, or loses what it could
  not send at once, breaks here first, and small text messages would never show it.

  Each payload below is random bytes, sent on a connection of its own, cut into pieces of the
  sizes given (used in turn, so "1, 7" sends 1 byte, 7 bytes, 1 byte, …), while the client
  reads the echo as it comes. An echo has 2 seconds, plus 2 seconds per MiB, to come back
  whole: many times what it takes.

  Nor may a server depend on its client reading quickly. A client that sends a lot at once
  and reads its echo slowly keeps every buffer between them full: the server's sends wait,
  and meanwhile more of the client's bytes pile up unread on the server's side, so its next
  read may bring far more than usual at once. A server that passes what it reads through a
  buffer of its own, a pipe or a queue, must not wait for room there while it is the only one
  who could make room: with a client that reads quickly that wait never comes, and the server
  looks right.

  How a connection ends is part of the duty too. A client may close its sending side and
  still read (a half-close: "that is all I have to say, let me have the rest of the echo");
  the server reads the end of the stream, must still send back everything it has, and only
  then close its own side. A client may also vanish with a reset, in the middle of an echo:
  the server's next call on that connection fails, and that failure must end that connection
  and nothing else, so that the clients who come next are served as if nothing had happened.

  Scenario Outline: Binary payloads from nothing to 3 MiB come back exactly from <server>
    Given <server>
    Then each of these random payloads, sent in pieces of the sizes given, comes back byte for byte
      | payload      | pieces        |
      | 0 B          | whole         |
      | 1 B          | whole         |
      | 1000 B       | 1             |
      | 64 KiB + 1 B | 1, 7, 4096    |
      | 1 MiB        | 65536, 3      |
      | 3 MiB        | whole         |

    @sequential
    Examples: one thread, one client at a time
      | server              |
      | a sequential server |

    @thread-per-client
    Examples: a thread for every client
      | server                     |
      | a thread-per-client server |

    @thread-pool
    Examples: a pool of threads
      | server               |
      | a thread-pool server |

    @multiplexing
    Examples: one thread and a select loop
      | server                |
      | a multiplexing server |

    @async
    Examples: Node's event loop
      | server          |
      | an async server |

  Scenario Outline: A large payload sent fast and read slowly comes back whole from <server>
    Given <server>
    Then a client that sends 3 MiB as fast as it can and reads the echo slowly gets all of it back

    @sequential
    Examples: one thread, one client at a time
      | server              |
      | a sequential server |

    @thread-per-client
    Examples: a thread for every client
      | server                     |
      | a thread-per-client server |

    @thread-pool
    Examples: a pool of threads
      | server               |
      | a thread-pool server |

    @multiplexing
    Examples: one thread and a select loop
      | server                |
      | a multiplexing server |

    @async
    Examples: Node's event loop
      | server          |
      | an async server |

  Scenario Outline: A client that closes its sending side still gets its whole echo from <server>
    Given <server>
    Then a client that sends 1 MiB and at once closes its sending side gets all of it back before the server closes the connection

    @sequential
    Examples: one thread, one client at a time
      | server              |
      | a sequential server |

    @thread-per-client
    Examples: a thread for every client
      | server                     |
      | a thread-per-client server |

    @thread-pool
    Examples: a pool of threads
      | server               |
      | a thread-pool server |

    @multiplexing
    Examples: one thread and a select loop
      | server                |
      | a multiplexing server |

    @async
    Examples: Node's event loop
      | server          |
      | an async server |

  Scenario Outline: A client that resets its connection costs the next clients nothing on <server>
    Given <server>
    When client R sends 4 MiB, never reads, and resets its connection once the server takes no more of it; then clients A and B connect, each sending "Hello" then "World!"
    Then A and B get the echo of everything they sent

    @sequential
    Examples: one thread, one client at a time
      | server              |
      | a sequential server |

    @thread-per-client
    Examples: a thread for every client
      | server                     |
      | a thread-per-client server |

    @thread-pool
    Examples: a pool of threads
      | server               |
      | a thread-pool server |

    @multiplexing
    Examples: one thread and a select loop
      | server                |
      | a multiplexing server |

    @async
    Examples: Node's event loop
      | server          |
      | an async server |
