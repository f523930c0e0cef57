/** What every model's `main` receives from `echolab serve`. */
export interface ServeOptions {
  host: string;
  port: number;
  /** threads in the pool (thread-pool) */
  workers: number;
  /** completed connections the kernel holds for the program to accept (listen's backlog) */
  backlog: number;
}
