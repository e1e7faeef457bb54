// npm run bench:kpl — KPL de-aggregation throughput: this project's deaggregate (Buffer and base64 input, MD5
// verified) against aws-kinesis-agg's deaggregateSync with checksums on, over the same corpus in the same run,
// and the ceiling: MD5 alone over the same bytes (verification cannot be faster than hashing).
//
// Usage: node --import tsx bench/kpl/deaggregate-bench.ts [--rounds N] [--records N]
import { createRequire } from 'node:module';
import os from 'node:os';
import { readFileSync } from 'node:fs';
import { decodeBase64, deaggregate } from '../../src/kpl/index.js';
import { md5 } from '../../src/kpl/md5.js';
import { buildTickerCorpus, type Corpus } from './ticker-corpus.js';

interface PeerUserRecord {
  data?: string;
  Data?: string;
}
interface PeerModule {
  deaggregateSync(record: object, computeChecksums: boolean, callback: (err: Error | null | undefined, records?: PeerUserRecord[]) => void): void;
}
const peer = createRequire(import.meta.url)('aws-kinesis-agg') as PeerModule;
const peerVersion = (createRequire(import.meta.url)('aws-kinesis-agg/package.json') as { version: string }).version;

function argument(name: string, fallback: number): number {
  const at = process.argv.indexOf(`--${name}`);
  return at >= 0 ? Number(process.argv[at + 1]) : fallback;
}

/** One pass over the corpus; returns user records seen and the sum of their payload lengths (a checksum that
 *  forces every view or string to exist). */
type Pass = (corpus: Corpus) => { records: number; bytes: number };

const variants: Record<string, Pass> = {
  'streaming-analytics deaggregate (Buffer)': (corpus) => {
    let records = 0;
    let bytes = 0;
    for (const a of corpus.aggregates) {
      const users = deaggregate({ data: a.data, partitionKey: a.partitionKey, sequenceNumber: a.sequenceNumber });
      records += users.length;
      for (let i = 0; i < users.length; i++) bytes += users[i].data.length;
    }
    return { records, bytes };
  },
  'streaming-analytics deaggregate (base64)': (corpus) => {
    let records = 0;
    let bytes = 0;
    for (const a of corpus.aggregates) {
      const users = deaggregate({ data: decodeBase64(a.base64), partitionKey: a.partitionKey, sequenceNumber: a.sequenceNumber });
      records += users.length;
      for (let i = 0; i < users.length; i++) bytes += users[i].data.length;
    }
    return { records, bytes };
  },
  [`aws-kinesis-agg ${peerVersion} deaggregateSync, checksums on (base64, Lambda shape)`]: (corpus) => {
    let records = 0;
    let bytes = 0;
    for (const a of corpus.aggregates) {
      peer.deaggregateSync({ data: a.base64, partitionKey: a.partitionKey, sequenceNumber: a.sequenceNumber }, true, (err, users) => {
        if (err) throw err;
        records += users!.length;
        // Its payloads are base64 strings; count decoded bytes without decoding.
        for (const u of users!) bytes += (u.data!.length / 4) * 3 - (u.data!.endsWith('==') ? 2 : u.data!.endsWith('=') ? 1 : 0);
      });
    }
    return { records, bytes };
  },
  [`aws-kinesis-agg ${peerVersion} deaggregateSync, checksums on (Uint8Array, SDK v3 shape)`]: (corpus) => {
    let records = 0;
    let bytes = 0;
    for (const a of corpus.aggregates) {
      peer.deaggregateSync({ Data: a.data, PartitionKey: a.partitionKey, SequenceNumber: a.sequenceNumber }, true, (err, users) => {
        if (err) throw err;
        records += users!.length;
        for (const u of users!) bytes += (u.Data!.length / 4) * 3 - (u.Data!.endsWith('==') ? 2 : u.Data!.endsWith('=') ? 1 : 0);
      });
    }
    return { records, bytes };
  },
  'ceiling: MD5 alone over the same bytes (node:crypto, as deaggregate calls it)': (corpus) => {
    let records = 0;
    let bytes = 0;
    for (const a of corpus.aggregates) {
      const digest = md5(a.data.subarray(4, a.data.length - 16));
      bytes += digest[0];
      records += a.userRecordCount;
    }
    return { records, bytes: corpus.payloadBytes + 0 * bytes };
  },
  'ceiling for base64 input: base64 decode + MD5 alone': (corpus) => {
    let records = 0;
    let bytes = 0;
    for (const a of corpus.aggregates) {
      const data = Buffer.from(a.base64, 'base64');
      const digest = md5(data.subarray(4, data.length - 16));
      bytes += digest[0];
      records += a.userRecordCount;
    }
    return { records, bytes: corpus.payloadBytes + 0 * bytes };
  },
};

function median(values: number[]): number {
  const sorted = [...values].sort((x, y) => x - y);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

function cpuModel(): string {
  try {
    const line = readFileSync('/proc/cpuinfo', 'utf8').split('\n').find((l) => l.startsWith('model name'));
    return line ? line.split(':')[1].trim() : os.cpus()[0]?.model ?? 'unknown';
  } catch {
    return os.cpus()[0]?.model ?? 'unknown';
  }
}

function main(): void {
  const rounds = argument('rounds', 11);
  const corpus = buildTickerCorpus(argument('records', 200_000));
  const names = Object.keys(variants);
  const seconds = new Map<string, number[]>(names.map((n) => [n, []]));
  // CPU time of each pass too: on a shared machine a pass is preempted at random, which wall time counts and CPU
  // time does not.
  const cpuSeconds = new Map<string, number[]>(names.map((n) => [n, []]));

  // Every variant must see the same user records and payload bytes.
  for (const name of names) {
    const { records, bytes } = variants[name](corpus);
    if (records !== corpus.userRecords || bytes !== corpus.payloadBytes) {
      throw new Error(`${name}: saw ${records} records / ${bytes} bytes, expected ${corpus.userRecords} / ${corpus.payloadBytes}`);
    }
  }
  // Warm-up (JIT), then timed rounds; the order rotates each round so no variant always runs first.
  for (let r = 0; r < 2; r++) for (const name of names) variants[name](corpus);
  for (let r = 0; r < rounds; r++) {
    for (let k = 0; k < names.length; k++) {
      const name = names[(r + k) % names.length];
      const t0 = process.hrtime.bigint();
      const c0 = process.cpuUsage();
      variants[name](corpus);
      const c = process.cpuUsage(c0);
      seconds.get(name)!.push(Number(process.hrtime.bigint() - t0) / 1e9);
      cpuSeconds.get(name)!.push((c.user + c.system) / 1e6);
    }
  }

  const mb = corpus.aggregateBytes / 1e6;
  console.log(`KPL de-aggregation benchmark: ${corpus.userRecords} JSON ticker records (${(corpus.payloadBytes / corpus.userRecords).toFixed(1)} B average), 50 partition keys,`);
  console.log(`${corpus.aggregates.length} aggregates of at most 51,200 bytes, ${corpus.aggregateBytes} bytes in all; ${rounds} rounds, medians.`);
  console.log(`machine: ${os.cpus().length} CPUs (nproc ${os.availableParallelism()}), ${cpuModel()}, Node ${process.version}\n`);
  console.log('| variant | user records/s | MB/s (aggregate bytes) | median ms | user records per CPU-s | median CPU ms |');
  console.log('|---|---:|---:|---:|---:|---:|');
  for (const name of names) {
    const s = median(seconds.get(name)!);
    const c = median(cpuSeconds.get(name)!);
    console.log(`| ${name} | ${(corpus.userRecords / s / 1e6).toFixed(2)} M | ${(mb / s).toFixed(0)} | ${(s * 1e3).toFixed(1)} | ${(corpus.userRecords / c / 1e6).toFixed(2)} M | ${(c * 1e3).toFixed(1)} |`);
  }
  // Ratios are taken per round (the variants of one round ran back to back, under the same machine load) and
  // their median reported: on a shared machine they are steadier than ratios of medians.
  const paired = (times: Map<string, number[]>, a: string, b: string) => median(times.get(b)!.map((t, r) => t / times.get(a)![r]));
  const both = (a: string, b: string, percent: boolean) => {
    const f = (x: number) => (percent ? `${(x * 100).toFixed(0)}%` : `${x.toFixed(2)}x`);
    return `${f(paired(cpuSeconds, a, b))} CPU, ${f(paired(seconds, a, b))} wall`;
  };
  const [oursBuffer, oursBase64, peerBase64, peerV3, md5, base64Md5] = names;
  console.log('');
  console.log('Ratios of rates, median over rounds of the per-round ratio (CPU time, then wall time):');
  console.log(`ours (Buffer) / aws-kinesis-agg (Uint8Array): ${both(oursBuffer, peerV3, false)}   target >= 2.5x`);
  console.log(`ours (base64) / aws-kinesis-agg (base64):     ${both(oursBase64, peerBase64, false)}   target >= 2.5x`);
  console.log(`ours (Buffer) / MD5 alone:                    ${both(oursBuffer, md5, true)}     target >= 75%`);
  console.log(`ours (base64) / MD5 alone:                    ${both(oursBase64, md5, true)}`);
  console.log(`ours (base64) / base64 decode + MD5 alone:    ${both(oursBase64, base64Md5, true)}`);
  console.log(`load average at the end: ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}`);
}

main();
