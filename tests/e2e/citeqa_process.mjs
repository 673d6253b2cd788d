// Runs the real citeqa binary for the browser test: `citeqa index` into a database, and
// `citeqa serve` as a child process whose address is read from its "listening on" line.

import { execFile, spawn } from 'node:child_process';
import readline from 'node:readline';

const kStartTimeoutMs = 20000;
const kStopTimeoutMs = 10000;

// Indexes `corpus` into `db`. Resolves with the summary printed on stdout; rejects with the
// exit code and stderr when the command fails.
export function indexCorpus(bin, corpus, db) {
  return new Promise((resolve, reject) => {
    execFile(bin, ['index', '--corpus', corpus, '--db', db], { timeout: 60000 },
             (error, stdout, stderr) => {
               if (error) {
                 reject(new Error(`citeqa index failed (${error.code ?? error.signal}): ${stderr}${stdout}`));
               } else {
                 resolve(stdout.trim());
               }
             });
  });
}

// Starts `citeqa serve --db db --port port [args...]` (with `env` added to this process's
// environment) and resolves once it prints "listening on http://HOST:PORT". Resolves with
// {url, port, stop, log}: stop() sends SIGTERM and resolves with the exit code; log() returns
// everything the server printed.
export function startServer(bin, db, port = 0, { args = [], env = {} } = {}) {
  const child = spawn(bin, ['serve', '--db', db, '--port', String(port), ...args],
                      { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...env } });
  const lines = [];
  const exited = new Promise((resolve) => {
    child.on('exit', (code, signal) => resolve(code ?? signal));
  });
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (chunk) => lines.push(chunk.trimEnd()));

  const started = new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`citeqa serve printed no "listening on" line in ${kStartTimeoutMs} ms:\n${lines.join('\n')}`));
    }, kStartTimeoutMs);
    const out = readline.createInterface({ input: child.stdout });
    out.on('line', (line) => {
      lines.push(line);
      const m = line.match(/listening on (http:\/\/([^\s/]+):(\d+))/);
      if (m) {
        clearTimeout(timer);
        resolve({ url: m[1], port: Number(m[3]) });
      }
    });
    child.on('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
    exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`citeqa serve exited (${code}) before listening:\n${lines.join('\n')}`));
    });
  });

  return started.then(({ url, port: boundPort }) => ({
    url,
    port: boundPort,
    log: () => lines.join('\n'),
    running: () => child.exitCode === null && child.signalCode === null,
    stop: async () => {
      if (child.exitCode !== null || child.signalCode !== null) return exited;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), kStopTimeoutMs);
      const code = await exited;
      clearTimeout(timer);
      return code;
    },
  }));
}
