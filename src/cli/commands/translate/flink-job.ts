/**
 * The Flink job of flink/ seen from Node: building its jar when the sources are newer, running one script on a
 * local MiniCluster, and a long-lived JVM (`SqlJob --server`) that runs many scripts, one after the other.
 */
import { type ChildProcessWithoutNullStreams, spawn, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ExecutionError } from '../../../errors.js';

export const FLINK_MAIN_CLASS = 'io.streaminganalytics.flink.SqlJob';

/** The repository's flink/ module (beside src/ or dist/). */
export function flinkModuleDir(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 8; i++) {
    if (existsSync(path.join(dir, 'flink', 'pom.xml'))) return path.join(dir, 'flink');
    dir = path.dirname(dir);
  }
  throw new ExecutionError('FLINK_MODULE', 'the flink/ Maven module was not found above this installation');
}

function newestMtime(p: string): number {
  const st = statSync(p);
  if (!st.isDirectory()) return st.mtimeMs;
  let m = 0;
  for (const e of readdirSync(p)) m = Math.max(m, newestMtime(path.join(p, e)));
  return m;
}

export interface FlinkJar {
  readonly jar: string;
  readonly classpath: string;
  /** Milliseconds the build took, 0 when the jar was up to date. */
  readonly buildMs: number;
}

/** Builds flink/ with Maven unless the jar is newer than pom.xml and every source file. */
export function ensureFlinkJar(moduleDir = flinkModuleDir(), log: (s: string) => void = () => {}): FlinkJar {
  const jar = path.join(moduleDir, 'target', 'streaming-analytics-flink.jar');
  const cpFile = path.join(moduleDir, 'target', 'classpath.txt');
  const sourcesTime = Math.max(newestMtime(path.join(moduleDir, 'pom.xml')), newestMtime(path.join(moduleDir, 'src')));
  let buildMs = 0;
  if (!existsSync(jar) || !existsSync(cpFile) || statSync(jar).mtimeMs < sourcesTime) {
    log('building the Flink job (mvn package)...');
    const t0 = Date.now();
    // Offline first: a filled ~/.m2 makes the build independent of the network; a fresh machine downloads.
    let r = spawnSync('mvn', ['-B', '-q', '-o', '-DskipTests', 'package'], { cwd: moduleDir, encoding: 'utf8' });
    if (r.status !== 0) r = spawnSync('mvn', ['-B', '-q', '-DskipTests', 'package'], { cwd: moduleDir, encoding: 'utf8' });
    if (r.error || r.status !== 0) {
      throw new ExecutionError('FLINK_BUILD', `mvn package in ${moduleDir} failed: ${(r.error?.message ?? '') + (r.stdout ?? '').slice(-2000) + (r.stderr ?? '').slice(-2000)}`);
    }
    buildMs = Date.now() - t0;
  }
  return { jar, classpath: `${jar}${path.delimiter}${readFileSync(cpFile, 'utf8').trim()}`, buildMs };
}

/**
 * Turns off CBOR in the Kinesis connector's AWS SDK: a Kinesis emulator such as kinesalite cuts large CBOR
 * responses short (GetRecords fails with "Unexpected end-of-input"), while JSON works with emulators and Kinesis
 * alike. The connector shades the SDK, so the system property carries the shaded package name; the SDK's
 * unshaded name `com.amazonaws.sdk.disableCbor` has no effect on it.
 */
export const DISABLE_KINESIS_CBOR_FLAG = '-Dorg.apache.flink.kinesis.shaded.com.amazonaws.sdk.disableCbor=true';

/** How the job's JVM is started, beyond the script. */
export interface FlinkJvmOptions {
  /**
   * Extra JVM flags (before the main class), e.g. DISABLE_KINESIS_CBOR_FLAG for a Kinesis emulator.
   * Default: the whitespace-separated flags of the environment variable `SA_FLINK_JVM_OPTS`.
   */
  readonly jvmFlags?: readonly string[];
  /** Flink configuration entries for every job of the JVM (`SqlJob --conf key=value`): checkpointing, s3.endpoint, ... */
  readonly conf?: Readonly<Record<string, string>>;
}

/** The flags of `SA_FLINK_JVM_OPTS`, split on whitespace. */
export function jvmFlagsFromEnv(env: NodeJS.ProcessEnv = process.env): string[] {
  return (env['SA_FLINK_JVM_OPTS'] ?? '').split(/\s+/).filter((f) => f !== '');
}

export function javaArgs(jar: FlinkJar, extra: readonly string[], options: FlinkJvmOptions = {}): string[] {
  // Flink's MiniCluster on Java 17 needs these opens (as Flink's own start scripts pass).
  const opens = ['java.base/java.util', 'java.base/java.lang', 'java.base/java.lang.reflect', 'java.base/java.net', 'java.base/java.io', 'java.base/java.nio', 'java.base/sun.nio.ch', 'java.base/java.time', 'java.base/java.text', 'java.base/java.util.concurrent', 'java.base/java.util.concurrent.atomic', 'java.base/java.util.concurrent.locks']
    .flatMap((m) => ['--add-opens', `${m}=ALL-UNNAMED`]);
  const flags = options.jvmFlags ?? jvmFlagsFromEnv();
  const conf = Object.entries(options.conf ?? {}).flatMap(([k, v]) => ['--conf', `${k}=${v}`]);
  return ['-XX:+UseSerialGC', '-Xss2m', '-Dlog4j2.level=WARN', ...opens, ...flags, '-cp', jar.classpath, FLINK_MAIN_CLASS, ...extra, ...conf];
}

/** A local run of one script. */
export interface FlinkRunOptions extends FlinkJvmOptions {
  /**
   * Stop a job still running after this many milliseconds with a draining savepoint (`SqlJob --stop-after`): the
   * input ends, a final watermark closes every open window, and sinks commit what they hold. An unbounded source
   * (Kinesis) otherwise runs until the JVM is killed.
   */
  readonly stopAfterMs?: number;
}

/** Runs one script to completion on a local MiniCluster; resolves with the JVM's exit code and its stderr. */
export function runFlinkScript(jar: FlinkJar, script: string, parallelism = 1, onStderr?: (s: string) => void, options: FlinkRunOptions = {}): Promise<{ code: number | null; stderr: string }> {
  const stop = options.stopAfterMs === undefined ? [] : ['--stop-after', String(Math.max(0, Math.round(options.stopAfterMs)))];
  return new Promise((resolve) => {
    const child = spawn('java', javaArgs(jar, [script, '--parallelism', String(parallelism), ...stop], options), { stdio: ['ignore', 'inherit', 'pipe'] });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (d: string) => {
      stderr = (stderr + d).slice(-20_000);
      onStderr?.(d);
    });
    child.on('close', (code) => resolve({ code, stderr }));
  });
}

/** One JVM that runs scripts one at a time (`SqlJob --server`, flink/README.md). */
export class FlinkServer {
  private readonly child: ChildProcessWithoutNullStreams;
  private buffer = '';
  private readonly waiters: ((line: string) => void)[] = [];
  private readonly lines: string[] = [];
  private stderrTail = '';
  private exited = false;

  constructor(jar: FlinkJar, parallelism = 1, options: FlinkJvmOptions = {}) {
    this.child = spawn('java', javaArgs(jar, ['--server', '--parallelism', String(parallelism)], options), { stdio: ['pipe', 'pipe', 'pipe'] });
    this.child.stdout.setEncoding('utf8').on('data', (d: string) => {
      this.buffer += d;
      let i: number;
      while ((i = this.buffer.indexOf('\n')) >= 0) {
        const line = this.buffer.slice(0, i);
        this.buffer = this.buffer.slice(i + 1);
        const w = this.waiters.shift();
        if (w) w(line);
        else this.lines.push(line);
      }
    });
    this.child.stderr.setEncoding('utf8').on('data', (d: string) => (this.stderrTail = (this.stderrTail + d).slice(-8000)));
    this.child.on('close', () => {
      this.exited = true;
      for (const w of this.waiters.splice(0)) w(`EXITED ${this.stderrTail.slice(-2000)}`);
    });
  }

  private nextLine(timeoutMs: number): Promise<string> {
    const queued = this.lines.shift();
    if (queued !== undefined) return Promise.resolve(queued);
    if (this.exited) return Promise.resolve(`EXITED ${this.stderrTail.slice(-2000)}`);
    return new Promise((resolve) => {
      const timer = setTimeout(() => resolve(`TIMEOUT after ${timeoutMs} ms`), timeoutMs);
      this.waiters.push((l) => {
        clearTimeout(timer);
        resolve(l);
      });
    });
  }

  async ready(timeoutMs = 120_000): Promise<void> {
    const l = await this.nextLine(timeoutMs);
    if (l !== 'READY') throw new ExecutionError('FLINK_SERVER', `the Flink job server did not start: ${l}`);
  }

  /** Runs one script file; null when it finished, else why it failed. */
  async run(scriptPath: string, timeoutMs = 180_000): Promise<string | null> {
    this.child.stdin.write(`${scriptPath}\n`);
    const l = await this.nextLine(timeoutMs);
    if (l === `DONE ${scriptPath}`) return null;
    if (l.startsWith('TIMEOUT')) {
      this.close();
      return l;
    }
    return l.startsWith(`FAILED ${scriptPath} `) ? l.slice(`FAILED ${scriptPath} `.length) : l;
  }

  close(): void {
    if (!this.exited) {
      this.child.stdin.end();
      setTimeout(() => {
        if (!this.exited) this.child.kill('SIGKILL');
      }, 10_000).unref();
    }
  }
}
