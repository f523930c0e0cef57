/** What every model's `main` receives from `echolab serve`. */
export interface ServeOptions {
  host: string;
  port: number;
  /** threads in the pool (thread-pool) */
  workers: number;
  /** completed connections the kernel holds for the program to accept (listen's backlog) */
  backlog: number;
  // the remedies for slow clients (servers/limits.ts), each counted from when the server
  // begins serving the connection: at accept, or, in a pool, when a worker takes it
  /** close a connection once nothing has been received from it for this long (ms) */
  idleTimeoutMs?: number;
  /** close a connection this long (ms) after it began to be served, busy or not */
  maxLifetimeMs?: number;
  /** a rate floor (bytes/s): the deadline starts at minRateGraceMs and each byte received moves it 1/minRate s later */
  minRate?: number;
  minRateGraceMs?: number;
  /** thread-pool: connections from this IPv4 address are taken from the queue before the others */
  priorityFrom?: string;
}
