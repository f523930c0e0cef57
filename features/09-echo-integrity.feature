@integrity
Feature: An echo comes back byte for byte, whatever its size and however it is cut

  Whatever the model, an echo server has one duty: every byte a client sends comes back, in
  order, and nothing else. TCP delivers a stream of bytes, not messages: what a client sends in
  one go may reach the server in several pieces, and several sends may arrive as one. A server
  that expects one `recv` per message, stops at the size of its buffer, or loses what it could
  not send at once, breaks here first, and small text messages would never show it.

  Each payload below is random bytes, sent on a connection of its own, cut into pieces of the
  sizes given (used in turn, so "1, 7" sends 1 byte, 7 bytes, 1 byte, …), while the client
  reads the echo as it comes. An echo has half a second, plus a second per MiB, to come back
  whole: many times what it takes.

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
