// ShardStateStore against dynalite (a real DynamoDB implementation on 127.0.0.1): round trips, the optimistic
// version, states split over chunk items, the delivered marker, the registry and the size limit.
import { randomBytes } from 'node:crypto';
import { QueryCommand } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DynaliteServer, startDynalite } from '../../../test/support/dynalite-server.js';
import { type ShardStateInput, ShardStateStore, StateConflictError } from './shard-state-store.js';

let db: DynaliteServer;
let table = 0;

async function newStore(options = {}): Promise<ShardStateStore> {
  const name = `state-${++table}`;
  await db.createStateTable(name);
  return new ShardStateStore(db.client, name, options);
}

function input(overrides: Partial<ShardStateInput> = {}): ShardStateInput {
  return {
    fingerprint: 'f1',
    position: { sequenceNumber: '49590338271490256608559692538361571095921575989136588898', subSequenceNumber: 3 },
    lastRecordsAt: 1_700_000_000_000,
    runtime: { engine: { windows: [['AAA', 1, 2]] }, lastRowtime: 1_700_000_000_500 },
    pending: {},
    ...overrides,
  };
}

async function itemKeys(store: ShardStateStore, pk: string): Promise<string[]> {
  const out = await db.client.send(new QueryCommand({ TableName: store.tableName, KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': { S: pk } } }));
  return (out.Items ?? []).map((i) => i.sk.S!);
}

describe('ShardStateStore (dynalite)', () => {
  beforeAll(async () => {
    db = await startDynalite();
  });
  afterAll(async () => {
    await db?.stop();
  });

  it('has no state for a new shard, then loads what was committed', async () => {
    const store = await newStore();
    expect(await store.load('s/shardId-000000000000')).toBeUndefined();
    const committed = await store.commit('s/shardId-000000000000', 0, input());
    expect(committed).toMatchObject({ version: 1, chunked: false });
    const loaded = await store.load('s/shardId-000000000000');
    expect(loaded).toMatchObject({ ...input(), version: 1, chunked: false, stateBytes: committed.stateBytes });
  });

  it('lets only one of two writers at the same version commit', async () => {
    const store = await newStore();
    await store.commit('k', 0, input());
    await store.commit('k', 1, input({ fingerprint: 'first' }));
    await expect(store.commit('k', 1, input({ fingerprint: 'second' }))).rejects.toBeInstanceOf(StateConflictError);
    await expect(store.commit('k', 0, input())).rejects.toThrow('no longer at version 0');
    expect((await store.load('k'))?.fingerprint).toBe('first');
  });

  it('keeps pending rows until their version is marked delivered', async () => {
    const store = await newStore();
    const pending = { 'app-DESTINATION_SQL_STREAM': ['{"a":1}\n', '{"a":2}\n'], 'app-error_stream': ['{"e":1}\n'] };
    await store.commit('k', 0, input({ pending }));
    expect((await store.load('k'))?.pending).toEqual(pending);
    expect(await store.markDelivered('k', 1)).toBe(true);
    expect((await store.load('k'))?.pending).toEqual({});
    // A marker for a version the shard has moved past changes nothing.
    await store.commit('k', 1, input({ pending }));
    expect(await store.markDelivered('k', 1)).toBe(false);
    expect((await store.load('k'))?.pending).toEqual(pending);
  });

  it('splits a state bigger than an item over chunk items, and deletes the chunks of older versions', async () => {
    // Random bytes do not compress: about 3 chunks of 100 KB.
    const store = await newStore({ inlineMaxBytes: 100_000, chunkBytes: 100_000 });
    const big = input({ runtime: { engine: randomBytes(200_000).toString('base64'), lastRowtime: 5 } });
    const first = await store.commit('k', 0, big);
    expect(first.chunked).toBe(true);
    expect(first.stateBytes).toBeGreaterThan(200_000);
    expect(await store.load('k')).toMatchObject({ ...big, version: 1, chunked: true });
    const chunksV1 = (await itemKeys(store, 'k')).filter((k) => k.startsWith('chunk#'));
    expect(chunksV1).toHaveLength(Math.ceil(first.stateBytes / 100_000));

    const bigger = input({ runtime: { engine: randomBytes(250_000).toString('base64'), lastRowtime: 6 } });
    await store.commit('k', 1, bigger, true);
    expect(await store.load('k')).toMatchObject({ ...bigger, version: 2, chunked: true });
    const keys = await itemKeys(store, 'k');
    expect(keys.filter((k) => chunksV1.includes(k))).toEqual([]);
    expect(keys.every((k) => k === 'head' || k.startsWith('chunk#000000000002#'))).toBe(true);

    // Back to a small state: no chunk items remain.
    await store.commit('k', 2, input(), true);
    expect(await itemKeys(store, 'k')).toEqual(['head']);
  });

  it('with its defaults, stays within DynamoDB\'s 400 KB item limit (dynalite enforces it) on both sides of the inline size', async () => {
    const store = await newStore();
    // Random bytes in base64 gzip to about their own size.
    const justInline = input({ runtime: { engine: randomBytes(340_000).toString('base64'), lastRowtime: 1 } });
    const inline = await store.commit('k', 0, justInline);
    expect(inline.chunked).toBe(false);
    expect(inline.stateBytes).toBeGreaterThan(330_000);
    const justSplit = input({ runtime: { engine: randomBytes(360_000).toString('base64'), lastRowtime: 2 } });
    const split = await store.commit('k', 1, justSplit);
    expect(split).toMatchObject({ chunked: true, version: 2 });
    expect(await store.load('k')).toMatchObject({ ...justSplit, version: 2, chunked: true });
  });

  it('leaves no chunks behind when a chunked commit loses the race', async () => {
    const store = await newStore({ inlineMaxBytes: 100_000, chunkBytes: 100_000 });
    await store.commit('k', 0, input());
    await store.commit('k', 1, input());
    const big = input({ runtime: { engine: randomBytes(150_000).toString('base64'), lastRowtime: 5 } });
    await expect(store.commit('k', 1, big)).rejects.toBeInstanceOf(StateConflictError);
    expect(await itemKeys(store, 'k')).toEqual(['head']);
  });

  it('fails with STATE_TOO_LARGE, naming the shard and the limit, and writes nothing', async () => {
    const store = await newStore({ maxStateBytes: 50_000 });
    await store.commit('k', 0, input());
    const huge = input({ runtime: { engine: randomBytes(60_000).toString('base64'), lastRowtime: 5 } });
    await expect(store.commit('k', 1, huge)).rejects.toThrow(/state of k is \d+ bytes gzipped; the limit is 50000/);
    expect((await store.load('k'))?.version).toBe(1);
  });

  it('registers shards once each, for the clock ticks', async () => {
    const store = await newStore();
    await store.registerShard('s/shardId-000000000001', 1);
    await store.registerShard('s/shardId-000000000000', 2);
    await store.registerShard('s/shardId-000000000001', 3);
    expect(await store.listShards()).toEqual(['s/shardId-000000000000', 's/shardId-000000000001']);
  });
});
