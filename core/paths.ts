/**
 * Where the echolab package is: the folder that holds bin/echolab.js, found from here whether
 * this file runs as source (core/) or compiled (dist/core/), in a checkout or installed.
 */
import fs from 'node:fs';
import path from 'node:path';

export const PACKAGE_DIR = (function findPackage(dir: string): string {
  if (fs.existsSync(path.join(dir, 'bin', 'echolab.js'))) return dir;
  if (path.dirname(dir) === dir) throw new Error(`bin/echolab.js not found above ${__dirname}`);
  return findPackage(path.dirname(dir));
})(__dirname);

/** The echolab command, as a user runs it. */
export const ECHOLAB_BIN = path.join(PACKAGE_DIR, 'bin', 'echolab.js');

/** The package's version, from its package.json. */
export const VERSION = (JSON.parse(fs.readFileSync(path.join(PACKAGE_DIR, 'package.json'), 'utf8')) as { version: string }).version;
