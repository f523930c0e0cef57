/** The baseline of `npm run bench:threads`: bare Node workers, started in a process of their own as the benchmark starts them. */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { describe, it } from 'node:test';

describe('bench:threads, the bare workers it compares with', () => {
  it('start, stay alive until measured, and report the resident memory they added', () => {
    const output = execFileSync(process.execPath, [path.join(__dirname, '..', 'bench', 'threads.js'), 'bare-workers', '4'], { encoding: 'utf8', timeout: 60_000 });
    const { rssMiB } = JSON.parse(output) as { rssMiB: number };
    assert.ok(rssMiB > 4, `4 bare workers added ${rssMiB} MiB: a Node worker is megabytes`);
  });
});
