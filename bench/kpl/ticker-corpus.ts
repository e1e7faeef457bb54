// A deterministic corpus for the KPL benchmark: JSON ticker records of about 100 bytes over 50 partition
// keys, packed by this project's Aggregator into ~50 KB aggregates (byte-identical to what the official Node
// aggregator writes for the same records, see src/kpl/vectors.test.ts).
import { Aggregator } from '../../src/kpl/index.js';
import { mulberry32 } from '../../src/util/mulberry32.js';

export interface Aggregate {
  data: Buffer;
  base64: string;
  partitionKey: string;
  explicitHashKey?: string;
  sequenceNumber: string;
  userRecordCount: number;
}

export interface Corpus {
  aggregates: Aggregate[];
  userRecords: number;
  /** Bytes of the Kinesis records' data (magic + body + MD5). */
  aggregateBytes: number;
  /** Bytes of the user records' payloads. */
  payloadBytes: number;
}

const SECTORS = ['TECH', 'FINANCE', 'ENERGY', 'HEALTHCARE', 'RETAIL'];

/** Fifty four-letter ticker symbols, derived from the seed. */
function tickers(random: () => number): string[] {
  const out = new Set<string>();
  while (out.size < 50) {
    let s = '';
    for (let i = 0; i < 4; i++) s += String.fromCharCode(65 + Math.floor(random() * 26));
    out.add(s);
  }
  return [...out];
}

export function buildTickerCorpus(userRecords = 200_000, maxBytes = 51_200, seed = 20_240_501): Corpus {
  const random = mulberry32(seed);
  const symbols = tickers(random);
  const sectorOf = new Map(symbols.map((s, i) => [s, SECTORS[i % SECTORS.length]]));
  const start = Date.UTC(2024, 4, 1, 13, 30);
  const aggregator = new Aggregator({ maxBytes });
  const done: { data: Uint8Array; partitionKey: string; explicitHashKey?: string; userRecordCount: number }[] = [];
  let payloadBytes = 0;
  for (let i = 0; i < userRecords; i++) {
    const ticker = symbols[Math.floor(random() * symbols.length)];
    const record = {
      ticker,
      sector: sectorOf.get(ticker),
      change: Math.round((random() * 20 - 10) * 100) / 100,
      price: Math.round(random() * 100_000) / 100,
      event_time: new Date(start + i * 5).toISOString(),
    };
    const data = Buffer.from(JSON.stringify(record));
    payloadBytes += data.length;
    done.push(...aggregator.add({ partitionKey: ticker, data }));
  }
  done.push(...aggregator.flush());
  let aggregateBytes = 0;
  const aggregates = done.map((a, i) => {
    const data = Buffer.from(a.data);
    aggregateBytes += data.length;
    return {
      data,
      base64: data.toString('base64'),
      partitionKey: a.partitionKey,
      explicitHashKey: a.explicitHashKey,
      sequenceNumber: (49_590_338_271_490_256_608_559_692_538_361_571_095_921_575_989_136_588_898n + BigInt(i)).toString(),
      userRecordCount: a.userRecordCount,
    };
  });
  return { aggregates, userRecords, aggregateBytes, payloadBytes };
}
