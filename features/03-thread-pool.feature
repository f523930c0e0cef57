@thread-pool
Feature: A pool of threads serves as many clients at once as it has threads

  Instead of a new thread for every client, a thread pool starts a fixed number of threads
  once. The accept loop puts each new connection in a queue, and a free thread takes the
  oldest one from it. The number of threads is bounded, so the server can no longer be
  drowned in threads; but while every thread is busy with a client, the next clients wait in
  the queue, just as they waited in the backlog of the sequential server.

  @lesson
  Scenario: With a pool of two, the third client waits for one of the first two to leave
    Given a thread-pool server with 2 threads
    When clients A, B and C connect at the same time, each sending "Hello" then "World!"
    Then 2 clients are served at the same time, never more
    And client C gets its first echo only after client A or B disconnects

  Scenario Outline: A pool of <threads> serves <threads> at a time, the rest first come, first served
    Given a thread-pool server with <threads> threads
    When <clients> clients connect one after another, each sending "Hello" then "World!"
    Then <threads> clients are served at the same time, never more
    And the clients are served in the order they connected

    Examples:
      | threads | clients |
      | 1       | 3       |
      | 2       | 5       |
      | 3       | 7       |

  @white-box
  Scenario: Only the pool's threads serve clients
    Given a thread-pool server with 2 threads
    When 5 clients connect one after another, each sending "Hello" then "World!"
    Then exactly 2 server threads serve clients
