/**
 * echolab's layering, checked on the TypeScript sources (`npm run deps`): steps → support →
 * (processes, TCP) → servers, with core/ under all of them. Type-only imports count: a type
 * taken from the wrong layer ties the layers together as much as a value does.
 */
/** A module of this project, as opposed to Node's own or one from node_modules. */
const OF_THE_PROJECT = { pathNot: 'node_modules/', dependencyTypesNot: ['core'] };

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'core-imports-nothing-of-the-project',
      comment:
        'core/ is what every layer shares (errors, the package paths, the model names, the serve ' +
        'command line): it is imported from below, so anything it imported would be imported by all.',
      severity: 'error',
      from: { path: '^core/' },
      to: { ...OF_THE_PROJECT, pathNot: [OF_THE_PROJECT.pathNot, '^core/'] },
    },
    {
      name: 'servers-know-nothing-of-the-harness',
      comment:
        'A server model is a program of its own, like the article\'s scripts: it runs under ' +
        '`echolab serve` with no harness around it, and must not change when the harness does.',
      severity: 'error',
      from: { path: '^servers/' },
      to: { path: '^(support|steps|cli|bench|scripts|test)/' },
    },
    {
      name: 'support-never-imports-what-is-built-on-it',
      comment:
        'support/ is the library the steps, the CLI, the bench and the scripts are built on; ' +
        'importing one of them back would tie it to cucumber\'s step files or to a command line.',
      severity: 'error',
      from: { path: '^support/' },
      to: { path: '^(cli|steps|bench|scripts|test)/' },
    },
    {
      name: 'steps-import-only-support-and-core',
      comment:
        'Steps are thin: parse the step, call support code, assert. Anything else (a server, the ' +
        'CLI) is reached through support/, which anyone\'s server can be judged by as well.',
      severity: 'error',
      from: { path: '^steps/' },
      to: { ...OF_THE_PROJECT, pathNot: [OF_THE_PROJECT.pathNot, '^(support|core)/'] },
    },
    {
      name: 'harness-never-reaches-the-runtime',
      comment:
        'cucumber loads the steps and support into the process that runs `echolab check`: the ' +
        'runtime would load the C library and start program threads there, for nothing. Servers ' +
        'are reached as processes, through `echolab serve`.',
      severity: 'error',
      from: { path: '^(steps|support)/' },
      to: { path: '^servers/runtime/', reachable: true },
    },
    {
      name: 'only-the-runtime-loads-the-c-library',
      comment:
        'koffi, the C library through it and its platform details live in servers/runtime/ ' +
        '(libc.ts). The one exception is the clients\' count of resent TCP segments ' +
        '(support/tcp-info.ts): Node has no getsockopt, and the clients read TCP_INFO themselves.',
      severity: 'error',
      from: { pathNot: ['^servers/runtime/', '^support/tcp-info\\.ts$'] },
      to: { path: 'node_modules/koffi/' },
    },
    {
      name: 'no-circular',
      comment: 'A cycle makes two modules one, loaded in an order that decides what each sees half-built.',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
    {
      name: 'no-orphans',
      comment: 'A module nothing imports and that imports nothing is dead code or a forgotten entry point.',
      severity: 'error',
      from: { orphan: true },
      to: {},
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
  },
};
