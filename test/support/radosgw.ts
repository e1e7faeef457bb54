/**
 * Ceph radosgw (a real S3 implementation) on 127.0.0.1 for tests, started with scripts/radosgw/start.sh.
 *
 * `startRadosgw()` starts a private instance (own temp dir, S3 port and monitor port, so several can run at
 * once; about 13 s on 2 vCPUs). `useRadosgw()` returns the instance started once for the whole run by
 * test/support/global-setup-radosgw.ts when that global setup is configured, and otherwise starts a private one.
 * A start failure throws with the daemons' log tails: a test that needs S3 fails loudly, it is never skipped.
 */
import { execFile, execFileSync } from 'node:child_process';
import { mkdir, mkdtemp, readFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export interface RadosgwConnection {
  /** e.g. `http://127.0.0.1:41234` */
  readonly endpoint: string;
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly region: string;
}

export interface RadosgwInstance extends RadosgwConnection {
  /** The cluster folder (config, logs, pid files). */
  readonly dir: string;
  /** How long start.sh took, in ms. */
  readonly startupMs: number;
  /** Kills the daemons and removes the folder. Idempotent. For a shared instance: does nothing. */
  stop(): Promise<void>;
}

const START = fileURLToPath(new URL('../../scripts/radosgw/start.sh', import.meta.url));
const STOP = fileURLToPath(new URL('../../scripts/radosgw/stop.sh', import.meta.url));

/** A TCP port free on 127.0.0.1 at the time of asking. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

function run(file: string, args: string[], timeoutMs: number): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile('bash', [file, ...args], { timeout: timeoutMs, maxBuffer: 16 * 1024 * 1024 }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : null) : 0;
      resolve({ code, stdout: String(stdout), stderr: String(stderr) + (error && code === null ? `\n${error.message}` : '') });
    });
  });
}

/** Folders of instances still running in this process, stopped at exit if a test forgot to. */
const running = new Set<string>();
let exitHookInstalled = false;
function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.once('exit', () => {
    for (const dir of running) {
      try {
        execFileSync('bash', [STOP, dir], { timeout: 20_000, stdio: 'ignore' });
      } catch {
        // Nothing more can be done while the process exits.
      }
    }
  });
}

/**
 * Starts a private radosgw. Throws (with the daemon logs) when it cannot start.
 * @example
 * let s3: RadosgwInstance;
 * beforeAll(async () => { s3 = await startRadosgw(); });
 * afterAll(async () => { await s3?.stop(); });
 */
export async function startRadosgw(options: { timeoutMs?: number; port?: number } = {}): Promise<RadosgwInstance> {
  const dir = await mkdtemp(join(tmpdir(), 'radosgw-'));
  const started = performance.now();
  running.add(dir);
  installExitHook();
  let result: Awaited<ReturnType<typeof run>> | undefined;
  // A port found free can be taken by another process before radosgw binds it: then (only then) try again
  // with another port. Any other failure is reported at once.
  for (let attempt = 1; attempt <= (options.port === undefined ? 3 : 1); attempt++) {
    const port = options.port ?? (await freePort());
    result = await run(START, [dir, String(port)], options.timeoutMs ?? 180_000);
    if (result.code === 0 || !/Address already in use|is already in use/.test(result.stdout + result.stderr)) break;
    await run(STOP, [dir], 30_000);
    await mkdir(dir, { recursive: true });
  }
  const startupMs = Math.round(performance.now() - started);
  if (!result || result.code !== 0) {
    await run(STOP, [dir], 30_000);
    running.delete(dir);
    throw new Error(
      `radosgw did not start (scripts/radosgw/start.sh exited with ${result?.code ?? 'a timeout'} after ${startupMs} ms). ` +
        `Is Ceph installed (scripts/install-system-deps.sh)?\n${result?.stdout ?? ''}\n${result?.stderr ?? ''}`,
    );
  }
  const credentials = JSON.parse(await readFile(join(dir, 'credentials.json'), 'utf8')) as RadosgwConnection;
  let stopped = false;
  return {
    endpoint: credentials.endpoint,
    accessKeyId: credentials.accessKeyId,
    secretAccessKey: credentials.secretAccessKey,
    region: credentials.region,
    dir,
    startupMs,
    async stop() {
      if (stopped) return;
      stopped = true;
      const r = await run(STOP, [dir], 60_000);
      running.delete(dir);
      if (r.code !== 0) throw new Error(`scripts/radosgw/stop.sh ${dir} failed: ${r.stderr}`);
    },
  };
}

/** Key under which global-setup-radosgw.ts provides the shared instance. */
export const RADOSGW_PROVIDE_KEY = 'radosgw';

declare module 'vitest' {
  export interface ProvidedContext {
    radosgw: RadosgwConnection;
  }
}

/**
 * The shared instance when the global setup provides one (its stop() does nothing), else a private one.
 * Call from beforeAll and call stop() in afterAll either way.
 */
export async function useRadosgw(): Promise<RadosgwInstance> {
  const { inject } = await import('vitest');
  let shared: RadosgwConnection | undefined;
  try {
    shared = inject(RADOSGW_PROVIDE_KEY);
  } catch {
    shared = undefined;
  }
  if (shared) return { ...shared, dir: '', startupMs: 0, stop: async () => undefined };
  return startRadosgw();
}
