Feature: Which models can be told apart from outside

  The specs a client can check are all that `echolab check` has to go on, so it is worth
  knowing what they can and cannot tell. Here every one of echolab's own servers is checked,
  black-box, against every model's specs: a row is a server, a column the specs it was
  checked against. Echo integrity is left out, since it is the same duty for every model and
  so tells none apart.

  A server passes the specs of its own model. The sequential server and the pool of two fail
  the specs of the other models that say how many clients are served at once: that number
  gives them away. A thread per
  client and async pass each other's specs, and can never fail them: both serve every client
  at once and let no client hold up another, and the one thing that differs, threads against
  an event loop, cannot be seen from outside. The table in docs/check.md is this one.

  Scenario: Every model's server checked against every model's specs
    When every one of echolab's models is checked against every model's specs
    Then the servers pass and fail these specs
      | server            | sequential | thread-per-client | thread-pool | multiplexing | async  |
      | sequential        | passes     | fails             | fails       | passes       | passes |
      | thread-per-client | fails      | passes            | fails       | passes       | passes |
      | thread-pool       | fails      | fails             | passes      | passes       | passes |
      | multiplexing      | fails      | passes            | fails       | passes       | passes |
      | async             | fails      | passes            | fails       | passes       | passes |
    And "docs/check.md" shows the same table
