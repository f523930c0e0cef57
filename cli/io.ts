/** What a command may touch, passed in so that commands can be run and tested in-process. */
export interface CommandIO {
  argv: string[];
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
  env: NodeJS.ProcessEnv;
  cwd: string;
}

/**
 * How a subcommand's action, once commander has parsed its command line, hands over the work:
 * main runs it with this run's IO and keeps the exit status it returns. `serverCommand` is
 * for `check` and `classify`: what came after `--` (commander never sees it, so a server's own
 * options such as `--help` are left alone).
 */
export interface Runner {
  run(command: (io: CommandIO) => Promise<number>): Promise<void>;
  runWithServer(command: (io: CommandIO, serverCommand: string[]) => Promise<number>): Promise<void>;
}
