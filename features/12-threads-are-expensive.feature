@cost
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
  same machine can read it, whatever language the server is written in.

  Rule: Every client of a thread-per-client server costs a thread and its memory, even one that never says a word

    Each server gets idle clients: they connect and send nothing. Once the server has taken
    every connection it is going to take and gone quiet, its threads and memory are read,
    before the first client and after every fifty. What one client costs is the slope of a
    straight line through those readings. The memory is what the server's processes really
    occupy (their proportional set size), not what they reserved.

    echolab's threads are real operating-system threads, but each one runs a JavaScript engine
    of its own, so each costs megabytes; a thread in C or in Python starts with a stack that
    uses a few pages until it needs more, and costs kilobytes. The article's own server, in
    Python, is measured beside echolab's for that reason. Either way, a thousand idle clients
    cost a thousand threads.

    Scenario Outline: <server>, with 100 idle clients
      Given <server>
      When 100 idle clients connect, 50 at a time
      Then each idle client adds <threads> threads to the server
      And each idle client adds <memory> of memory to the server

      @thread-per-client @many-clients
      Examples: a thread for every client
        | server                                                 | threads             | memory             |
        | a thread-per-client server                             | between 0.9 and 1.1 | more than 1 MiB    |
        | the article's thread-per-client server, in Python      | between 0.9 and 1.1 | less than 1 MiB    |

      @thread-pool
      Examples: a pool of two threads, however many connect
        | server                              | threads        | memory          |
        | a thread-pool server with 2 workers | less than 0.05 | less than 1 MiB |

      @sequential @multiplexing @async
      Examples: one thread for everybody
        | server                | threads        | memory           |
        | a sequential server   | less than 0.05 | less than 64 KiB |
        | a multiplexing server | less than 0.05 | less than 64 KiB |
        | an async server       | less than 0.05 | less than 64 KiB |
