Feature: Threads are expensive

  A thread per client serves everybody at once, and pays for it with one operating-system
  thread for every connection, whether its client talks or sits silent. Every thread has a
  stack of its own and a place in the kernel's tables, and a process may only have so many.
  So a server built that way grows with the number of its connections, however little those
  connections ask of it, and whoever opens enough of them can make it run out of threads.
  A pool caps the threads at its size; a select loop and an event loop hold every connection
  on one thread.

  Nothing below asks a server what it holds. Linux shows what every process holds in
  `/proc`: its threads, its child processes, the memory it uses, its open files. Anybody on the
  same machine can read it, whatever language the server is written in. What a server does
  when it runs out is what its clients see, and what it writes on its error output.

  Rule: Every client of a thread-per-client server costs a thread and its memory, even one that never says a word

    Each server gets idle clients: they connect and send nothing. Once the server has taken
    every connection it is going to take and gone quiet, its threads and memory are read,
    before the first client and after every fifty. What one client costs is the slope of a
    straight line through those readings. The memory is what the server's stacks and heaps
    really occupy, not what they reserved; the libraries it shares with other programs are left
    out, as its share of them changes whenever another program that uses them starts or ends.

    How much memory a thread costs depends on what runs on it. A thread in C or in Python
    starts with a stack of which it uses a few pages until it needs more: tens of kilobytes.
    echolab's threads are real operating-system threads too, but each one also runs a
    JavaScript engine of its own, and costs megabytes. The article's own server, in Python, is
    measured beside echolab's for that reason; the table after the scenarios gives both, as
    this run measured them. Either way, a thousand idle clients cost a thousand threads.

    Every thread-per-client server must cost a thread per client, and every async server none,
    so `echolab check` holds the servers it checks to the same, where it can see their
    processes: on this machine.

    Scenario Outline: <server>, with 100 idle clients
      Given <server>
      When 100 idle clients connect, 50 at a time
      Then each idle client adds <threads> threads to the server
      And each idle client adds <memory> of memory to the server

      @thread-per-client @many-clients @same-machine
      Examples: a thread for every client
        | server                     | threads             | memory         |
        | a thread-per-client server | between 0.9 and 1.1 | at least 4 KiB |

      @thread-per-client @course-only
      Examples: a thread for every client, in the article's Python
        | server                                            | threads             | memory          |
        | the article's thread-per-client server, in Python | between 0.9 and 1.1 | less than 1 MiB |

      @thread-pool @course-only
      Examples: a pool of two threads, however many connect
        | server                              | threads        | memory          |
        | a thread-pool server with 2 threads | less than 0.05 | less than 1 MiB |

      @sequential @multiplexing @course-only
      Examples: one thread for everybody
        | server                | threads        | memory           |
        | a sequential server   | less than 0.05 | less than 64 KiB |
        | a multiplexing server | less than 0.05 | less than 64 KiB |

      @async @same-machine
      Examples: one thread and its event loop for everybody
        | server          | threads        | memory           |
        | an async server | less than 0.05 | less than 64 KiB |

  Rule: A process may have only so many threads, and idle clients can take them all

    The operating system lets a process have only so many threads, and every thread it has
    costs it memory. Below, each thread-per-client server is allowed 8 threads, its own first
    one included; one that the operating system itself holds to that, by the memory the
    process may map, and echolab's by an option of its own. Client A is served first. Then
    ten clients connect and say nothing, and once the server has done with them what it does,
    client F connects and sends "Hello", and waits. A sends again; the ten leave; F waits on.
    While F waits, every tick a newcomer of its own asks the server for one echo: the row named
    service shows whether it was answered within the tick. That is how the service looks to
    everybody else, the way tools that test servers against slow attacks report it.

    Starting a thread fails as it fails in C (the call returns EAGAIN); the article's server
    does nothing about it, so its accept loop ends there. The threads it has already started
    go on serving their clients, so A is still served, and the process lives on for them with
    its listening socket open: F connects, into the queue of connections the server will
    never accept, and is not served, not even once the ten have left. Nothing comes back.

    Scenario Outline: <server>, flooded with idle clients
      Given <server>
      When client A is served, then 10 idle clients connect, then client F sends "Hello"
      Then the server says "can't start new thread"
      And A is still served
      And F is not served while the idle clients stay
      And F is not served even after the idle clients leave

      @thread-per-client @course-only
      Examples: a thread for every client, until there are no more
        | server                                                                                                |
        | a thread-per-client server that may have only 8 threads                                               |
        | the article's thread-per-client server, in Python, that the operating system lets have only 8 threads |

  Rule: A pool keeps to its threads, and one thread holds any number of idle clients

    The same flood, on the other models. A pool of two never asks for a third thread, so
    nothing fails, and nothing explodes; but A holds one of its threads and the first idle
    client the other, so F waits in the queue until the idle clients leave. That is what the
    remedies for slow clients are for. A select loop and an event loop hold every idle
    connection on their one thread, and serve F at once.

    Scenario Outline: <server>, flooded with idle clients
      Given <server>
      When client A is served, then 10 idle clients connect, then client F sends "Hello"
      Then A is still served
      And <what F gets>

      @thread-pool @course-only
      Examples: two threads, both taken
        | server                              | what F gets                             |
        | a thread-pool server with 2 threads | F is served once the idle clients leave |

      @multiplexing @async @course-only
      Examples: one thread for everybody
        | server                | what F gets                                      |
        | a multiplexing server | F is served at once, while the idle clients stay |
        | an async server       | F is served at once, while the idle clients stay |
