/** What a command may touch, passed in so that commands can be run and tested in-process. */
export interface CommandIO {
  argv: string[];
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
  env: NodeJS.ProcessEnv;
  cwd: string;
}
