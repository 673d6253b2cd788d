// Loads a module of web/ in Node for unit tests of the page's pure functions. web/ has no
// package.json saying its .js files are ES modules (the page needs none), so the files are
// copied once into a temporary folder that has one; relative imports keep working there.

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const webDir = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', '..', 'web');
let copyDir = null;

function copyOfWeb() {
  if (copyDir) return copyDir;
  copyDir = fs.mkdtempSync(path.join(os.tmpdir(), 'citeqa-web-'));
  for (const name of fs.readdirSync(webDir)) {
    if (name.endsWith('.js')) fs.copyFileSync(path.join(webDir, name), path.join(copyDir, name));
  }
  fs.writeFileSync(path.join(copyDir, 'package.json'), '{"type": "module"}\n');
  process.on('exit', () => fs.rmSync(copyDir, { recursive: true, force: true }));
  return copyDir;
}

// The exports of web/`name` (e.g. 'format.js').
export function importWebModule(name) {
  return import(pathToFileURL(path.join(copyOfWeb(), name)).href);
}
