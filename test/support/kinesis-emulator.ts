/**
 * Starts and stops the Kinesis API emulators the tests run against, on 127.0.0.1 and a free port:
 * kinesalite (in this process, in memory) and kinesis-local (the kinesis-mock engine, a child process).
 * A server that cannot start fails the test with the reason; nothing is skipped.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createRequire } from 'node:module';
import { createServer, type AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import path from 'node:path';
import { CreateStreamCommand, DescribeStreamSummaryCommand, ListStreamsCommand, type KinesisClient } from '@aws-sdk/client-kinesis';
import { createKinesisClient } from '../../src/kinesis/kinesis-client.js';

export interface KinesisEmulator {
  readonly kind: 'kinesalite' | 'kinesis-local';
  readonly endpoint: string;
  /** A client for this emulator (HTTP/1.1, dummy credentials). */
  readonly client: KinesisClient;
  /** Options for createKinesisClient / KinesisApiSource pointing at this emulator. */
  readonly clientOptions: { endpoint: string; region: string; credentials: { accessKeyId: string; secretAccessKey: string } };
  /** Creates a stream and waits until it is ACTIVE. */
  createStream(name: string, shardCount: number): Promise<void>;
  /** Waits until a stream is ACTIVE again (after a split or merge). */
  waitActive(name: string, timeoutMs?: number): Promise<void>;
  stop(): Promise<void>;
}

const require = createRequire(import.meta.url);
const credentials = { accessKeyId: 'testkey', secretAccessKey: 'testsecret' };
const region = 'us-east-1';

function makeEmulator(kind: KinesisEmulator['kind'], port: number, stopServer: () => Promise<void>): KinesisEmulator {
  const endpoint = `http://127.0.0.1:${port}`;
  const clientOptions = { endpoint, region, credentials };
  const client = createKinesisClient({ ...clientOptions, maxAttempts: 2 });
  const waitActive = async (name: string, timeoutMs = 20_000) => {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const out = await client.send(new DescribeStreamSummaryCommand({ StreamName: name }));
      const status = out.StreamDescriptionSummary?.StreamStatus;
      if (status === 'ACTIVE') return;
      if (Date.now() > deadline) throw new Error(`${kind}: stream ${name} still ${status} after ${timeoutMs} ms`);
      await new Promise((r) => setTimeout(r, 25));
    }
  };
  return {
    kind, endpoint, client, clientOptions, waitActive,
    async createStream(name, shardCount) {
      await client.send(new CreateStreamCommand({ StreamName: name, ShardCount: shardCount }));
      await waitActive(name);
    },
    async stop() {
      client.destroy();
      await stopServer();
    },
  };
}

/** Starts kinesalite in this process (in-memory store, 20 ms stream state changes). */
export async function startKinesalite(): Promise<KinesisEmulator> {
  const kinesalite = require('kinesalite') as (options: Record<string, unknown>) => Server;
  const server = kinesalite({ createStreamMs: 20, deleteStreamMs: 20, updateStreamMs: 20, shardLimit: 100 });
  await new Promise<void>((resolve, reject) => {
    server.once('error', (e) => reject(new Error(`kinesalite could not listen on 127.0.0.1: ${e.message}`)));
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return makeEmulator('kinesalite', port, async () => {
    server.closeAllConnections();
    await new Promise<void>((resolve, reject) => server.close((e) => (e ? reject(e) : resolve())));
  });
}

/** `count` distinct free ports (all probes are held open together, so they differ). */
async function freePorts(count: number): Promise<number[]> {
  const probes = Array.from({ length: count }, () => createServer());
  await Promise.all(probes.map((probe) => new Promise<void>((resolve, reject) => {
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => resolve());
  })));
  const ports = probes.map((probe) => (probe.address() as AddressInfo).port);
  await Promise.all(probes.map((probe) => new Promise<void>((resolve) => probe.close(() => resolve()))));
  return ports;
}

/**
 * Starts kinesis-local (`node main.js` of the npm package). It reads its configuration from the environment:
 * KINESIS_MOCK_PLAIN_PORT (HTTP), KINESIS_MOCK_TLS_PORT (HTTPS, needed even unused), KINESIS_MOCK_CERT_PATH (its own
 * server.json), *_DURATION for state changes. It binds every interface, so only 127.0.0.1 is ever connected to. It
 * can ignore SIGTERM for seconds, so stop() sends SIGKILL when it has not exited after 2 s.
 */
export async function startKinesisLocal(): Promise<KinesisEmulator> {
  const main = require.resolve('kinesis-local');
  const [plainPort, tlsPort] = await freePorts(2);
  const durations = ['CREATE_STREAM', 'DELETE_STREAM', 'MERGE_SHARDS', 'SPLIT_SHARD', 'UPDATE_SHARD_COUNT', 'UPDATE_STREAM_MODE']
    .map((op) => [`${op}_DURATION`, '50ms']);
  const child: ChildProcess = spawn(process.execPath, [main], {
    cwd: path.dirname(main),
    env: {
      ...process.env,
      ...Object.fromEntries(durations),
      KINESIS_MOCK_PLAIN_PORT: String(plainPort),
      KINESIS_MOCK_TLS_PORT: String(tlsPort),
      KINESIS_MOCK_CERT_PATH: path.join(path.dirname(main), 'server.json'),
      SHOULD_PERSIST_DATA: 'false',
      LOAD_DATA_IF_EXISTS: 'false',
      LOG_LEVEL: 'WARN',
      AWS_REGION: region,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (d: Buffer) => { output = (output + d.toString()).slice(-4000); });
  child.stderr?.on('data', (d: Buffer) => { output = (output + d.toString()).slice(-4000); });
  let exited: string | null = null;
  // Should the test process end without stop() (a crash), do not leave the server behind.
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);
  const exit = new Promise<void>((resolve) => child.once('exit', (code, signal) => {
    exited = `code ${code}, signal ${signal}`;
    process.off('exit', killOnExit);
    resolve();
  }));
  const stopProcess = async () => {
    if (exited) return;
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 2000);
    await exit;
    clearTimeout(timer);
  };
  const emulator = makeEmulator('kinesis-local', plainPort, stopProcess);
  const deadline = Date.now() + 45_000;
  for (;;) {
    if (exited) throw new Error(`kinesis-local exited during start-up (${exited}); output:\n${output}`);
    try {
      await emulator.client.send(new ListStreamsCommand({}));
      return emulator;
    } catch (error) {
      if (Date.now() > deadline) {
        await emulator.stop();
        throw new Error(`kinesis-local did not answer on 127.0.0.1:${plainPort} within 45 s (${(error as Error).message}); output:\n${output}`);
      }
      await new Promise((r) => setTimeout(r, 200));
    }
  }
}
