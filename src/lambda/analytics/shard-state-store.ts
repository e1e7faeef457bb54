/**
 * The analytics function's state in DynamoDB, one shard at a time: the engine snapshot, the shard position, and
 * the output rows of the last commit until they are known delivered. Every commit is a conditional write on a
 * version number (optimistic concurrency), so two invocations for one shard can never both commit.
 *
 * Item layout (table key: pk, sk; both strings):
 *
 *   pk = <shard key>, sk = "head"     version, fingerprint, sequenceNumber, subSequenceNumber, delivered,
 *                                     lastRecordsAt, rowtime, stateBytes, updatedAt, and either
 *                                     state (B, the gzipped state) or chunks ({writer, count})
 *   pk = <shard key>, sk = "chunk#<version, 12 digits>#<writer>#<index, 4 digits>"   data (B): one slice of a
 *                                     gzipped state too big for the head item (DynamoDB items stop at 400 KB)
 *   pk = "shards",    sk = <shard key> the registry of shards, read by clock ticks
 *
 * A big state is written as chunks under a key no other writer uses (the writer id is random), and only the
 * conditional write of the head item makes them current, so a commit is atomic without transactions.
 * Chunks of older versions are deleted after a successful commit.
 */
import { randomUUID } from 'node:crypto';
import { gunzipSync, gzipSync } from 'node:zlib';
import {
  type AttributeValue,
  BatchWriteItemCommand,
  ConditionalCheckFailedException,
  type DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
  QueryCommand,
  UpdateItemCommand,
} from '@aws-sdk/client-dynamodb';
import type { RuntimeState } from '../../runtime/application-runtime.js';
import { ExecutionError, InternalError } from '../../errors.js';
import type { ShardPosition } from './shard-position.js';

/** Output rows waiting for delivery: delivery stream name -> newline-terminated JSON lines. */
export type PendingRows = Record<string, string[]>;

/** What a commit saves. */
export interface ShardStateInput {
  /** Identifies the application (SQL + input schema) that wrote the snapshot. */
  readonly fingerprint: string;
  readonly position: ShardPosition | null;
  /** Wall-clock time (ms) of the last invocation that brought records: ticks leave busy shards alone. */
  readonly lastRecordsAt: number | null;
  readonly runtime: RuntimeState;
  /** Rows produced since the last delivered commit, delivered after this commit is durable. */
  readonly pending: PendingRows;
}

/** A loaded state: what was committed, plus its version. */
export interface ShardState extends ShardStateInput {
  readonly version: number;
  /** Gzipped bytes of the state as stored. */
  readonly stateBytes: number;
  /** True when the state is split over chunk items. */
  readonly chunked: boolean;
}

export interface ShardStateStoreOptions {
  /**
   * Largest gzipped state per shard. A bigger state fails the commit with STATE_TOO_LARGE.
   * @default 16777216 (16 MiB: 48 chunk items, read on every invocation)
   */
  readonly maxStateBytes?: number;
  /** A gzipped state up to this size lives in the head item. @default 350000 */
  readonly inlineMaxBytes?: number;
  /** Size of one chunk item's data. @default 350000 */
  readonly chunkBytes?: number;
}

/** The conditional write of a commit lost: another invocation committed this shard first. */
export class StateConflictError extends ExecutionError {
  constructor(shardKey: string, expectedVersion: number, options?: ErrorOptions) {
    super('STATE_CONFLICT', `state of ${shardKey} is no longer at version ${expectedVersion}: another invocation committed first`, options);
  }
}

const HEAD = 'head';
const CHUNK = 'chunk#';
const REGISTRY = 'shards';
const STATE_FORMAT = 1;
const pad = (n: number, width: number) => String(n).padStart(width, '0');
const chunkPrefix = (version: number, writer: string) => `${CHUNK}${pad(version, 12)}#${writer}#`;

interface StateBlob {
  format: number;
  runtime: RuntimeState;
  pending: PendingRows;
}

export class ShardStateStore {
  readonly maxStateBytes: number;
  private readonly inlineMaxBytes: number;
  private readonly chunkBytes: number;

  constructor(
    private readonly client: DynamoDBClient,
    readonly tableName: string,
    options: ShardStateStoreOptions = {},
  ) {
    this.maxStateBytes = options.maxStateBytes ?? 16 * 1024 * 1024;
    this.inlineMaxBytes = options.inlineMaxBytes ?? 350_000;
    this.chunkBytes = options.chunkBytes ?? 350_000;
  }

  /** The shard's last committed state, or undefined when it has none. Strongly consistent. */
  async load(shardKey: string): Promise<ShardState | undefined> {
    const out = await this.client.send(new GetItemCommand({ TableName: this.tableName, Key: key(shardKey, HEAD), ConsistentRead: true }));
    const item = out.Item;
    if (!item) return undefined;
    const version = Number(item.version.N);
    let gz: Uint8Array;
    let chunked = false;
    if (item.state?.B) {
      gz = item.state.B;
    } else if (item.chunks?.M) {
      chunked = true;
      gz = await this.readChunks(shardKey, version, item.chunks.M.writer.S!, Number(item.chunks.M.count.N));
    } else {
      throw new InternalError(`state of ${shardKey} (version ${version}) has neither state nor chunks`);
    }
    const blob = JSON.parse(gunzipSync(gz).toString('utf8')) as StateBlob;
    if (blob.format !== STATE_FORMAT) throw new ExecutionError('STATE_FORMAT', `state of ${shardKey} has format ${blob.format}; this function reads ${STATE_FORMAT}`);
    const delivered = item.delivered?.N !== undefined ? Number(item.delivered.N) : 0;
    return {
      version,
      fingerprint: item.fingerprint?.S ?? '',
      position: item.sequenceNumber?.S ? { sequenceNumber: item.sequenceNumber.S, subSequenceNumber: Number(item.subSequenceNumber?.N ?? 0) } : null,
      lastRecordsAt: item.lastRecordsAt?.N !== undefined ? Number(item.lastRecordsAt.N) : null,
      runtime: blob.runtime,
      // Rows of a commit whose delivery was confirmed are not delivered again.
      pending: delivered >= version ? {} : blob.pending,
      stateBytes: gz.length,
      chunked,
    };
  }

  /**
   * Commits the next state of a shard, expecting it at `expectedVersion` (0: no state yet).
   *
   * @param previousChunked - the state being replaced was split over chunk items (they are deleted after the commit)
   * @returns the new version, the gzipped size and whether it was split over chunk items.
   * @throws StateConflictError when another invocation committed first; ExecutionError STATE_TOO_LARGE when the
   *   gzipped state exceeds `maxStateBytes` (nothing is written).
   */
  async commit(shardKey: string, expectedVersion: number, next: ShardStateInput, previousChunked = false): Promise<{ version: number; stateBytes: number; chunked: boolean }> {
    const blob: StateBlob = { format: STATE_FORMAT, runtime: next.runtime, pending: next.pending };
    const gz = gzipSync(JSON.stringify(blob));
    if (gz.length > this.maxStateBytes) {
      throw new ExecutionError(
        'STATE_TOO_LARGE',
        `state of ${shardKey} is ${gz.length} bytes gzipped; the limit is ${this.maxStateBytes}. Shorten the windows, lower the number of groups per shard, or add shards (see src/lambda/analytics/README.md, Limits)`,
      );
    }
    const version = expectedVersion + 1;
    const pendingRows = Object.values(next.pending).reduce((n, rows) => n + rows.length, 0);
    const head: Record<string, AttributeValue> = {
      ...key(shardKey, HEAD),
      version: { N: String(version) },
      fingerprint: { S: next.fingerprint },
      stateBytes: { N: String(gz.length) },
      pendingRows: { N: String(pendingRows) },
      updatedAt: { S: new Date().toISOString() },
    };
    if (next.position) {
      head.sequenceNumber = { S: next.position.sequenceNumber };
      head.subSequenceNumber = { N: String(next.position.subSequenceNumber) };
    }
    if (next.lastRecordsAt !== null) head.lastRecordsAt = { N: String(next.lastRecordsAt) };
    if (next.runtime.lastRowtime !== null) head.rowtime = { N: String(next.runtime.lastRowtime) };
    // Nothing to deliver: this version counts as delivered already.
    if (pendingRows === 0) head.delivered = { N: String(version) };

    let writer: string | undefined;
    if (gz.length <= this.inlineMaxBytes) {
      head.state = { B: gz };
    } else {
      writer = randomUUID().replaceAll('-', '').slice(0, 16);
      const count = await this.writeChunks(shardKey, version, writer, gz);
      head.chunks = { M: { writer: { S: writer }, count: { N: String(count) } } };
    }
    try {
      await this.client.send(new PutItemCommand({
        TableName: this.tableName,
        Item: head,
        ConditionExpression: expectedVersion === 0 ? 'attribute_not_exists(pk)' : '#v = :expected',
        ExpressionAttributeNames: expectedVersion === 0 ? undefined : { '#v': 'version' },
        ExpressionAttributeValues: expectedVersion === 0 ? undefined : { ':expected': { N: String(expectedVersion) } },
      }));
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) {
        if (writer) await this.deleteChunks(shardKey, chunkPrefix(version, writer), `${chunkPrefix(version, writer)}~`).catch(() => undefined);
        throw new StateConflictError(shardKey, expectedVersion, { cause: error });
      }
      throw error;
    }
    // Chunks of older versions (the previous state's, or those of writers that lost) are garbage now.
    if (writer || previousChunked) await this.deleteChunks(shardKey, CHUNK, chunkPrefix(version, '').slice(0, -1));
    return { version, stateBytes: gz.length, chunked: writer !== undefined };
  }

  /**
   * Records that the rows of `version` were delivered, so that a later load does not deliver them again.
   * @returns false when the shard moved past that version meanwhile (the newer commit carries its own rows).
   */
  async markDelivered(shardKey: string, version: number): Promise<boolean> {
    try {
      await this.client.send(new UpdateItemCommand({
        TableName: this.tableName,
        Key: key(shardKey, HEAD),
        UpdateExpression: 'SET delivered = :v, pendingRows = :zero',
        ConditionExpression: '#v = :v',
        ExpressionAttributeNames: { '#v': 'version' },
        ExpressionAttributeValues: { ':v': { N: String(version) }, ':zero': { N: '0' } },
      }));
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
  }

  /**
   * Notes that records of the shard are waiting (an invocation that could not take them in), so that clock ticks
   * do not take the shard for idle and move its clock past them. Changes no version; does nothing for a shard
   * with no state.
   */
  async touch(shardKey: string, now: number): Promise<void> {
    try {
      await this.client.send(new UpdateItemCommand({
        TableName: this.tableName,
        Key: key(shardKey, HEAD),
        UpdateExpression: 'SET lastRecordsAt = :now',
        ConditionExpression: 'attribute_exists(pk)',
        ExpressionAttributeValues: { ':now': { N: String(now) } },
      }));
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
    }
  }

  /** Adds a shard to the registry the clock ticks read (idempotent). */
  async registerShard(shardKey: string, firstSeenAt: number): Promise<void> {
    await this.client.send(new PutItemCommand({
      TableName: this.tableName,
      Item: { ...key(REGISTRY, shardKey), firstSeenAt: { N: String(firstSeenAt) } },
    }));
  }

  /** Every shard key ever registered. */
  async listShards(): Promise<string[]> {
    const keys: string[] = [];
    let start: Record<string, AttributeValue> | undefined;
    do {
      const out = await this.client.send(new QueryCommand({
        TableName: this.tableName,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': { S: REGISTRY } },
        ProjectionExpression: 'sk',
        ConsistentRead: true,
        ExclusiveStartKey: start,
      }));
      for (const item of out.Items ?? []) keys.push(item.sk.S!);
      start = out.LastEvaluatedKey;
    } while (start);
    return keys;
  }

  private async writeChunks(shardKey: string, version: number, writer: string, gz: Buffer): Promise<number> {
    const count = Math.ceil(gz.length / this.chunkBytes);
    const prefix = chunkPrefix(version, writer);
    const puts: Promise<unknown>[] = [];
    for (let i = 0; i < count; i++) {
      const data = gz.subarray(i * this.chunkBytes, (i + 1) * this.chunkBytes);
      puts.push(this.client.send(new PutItemCommand({ TableName: this.tableName, Item: { ...key(shardKey, `${prefix}${pad(i, 4)}`), data: { B: data } } })));
      // A few writes in flight at a time: each is up to 350 KB.
      if (puts.length === 4) await Promise.all(puts.splice(0));
    }
    await Promise.all(puts);
    return count;
  }

  private async readChunks(shardKey: string, version: number, writer: string, count: number): Promise<Buffer> {
    const prefix = chunkPrefix(version, writer);
    const parts: Uint8Array[] = [];
    let start: Record<string, AttributeValue> | undefined;
    do {
      const out = await this.client.send(new QueryCommand({
        TableName: this.tableName,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
        ExpressionAttributeValues: { ':pk': { S: shardKey }, ':prefix': { S: prefix } },
        ConsistentRead: true,
        ExclusiveStartKey: start,
      }));
      for (const item of out.Items ?? []) parts.push(item.data.B!);
      start = out.LastEvaluatedKey;
    } while (start);
    if (parts.length !== count) throw new InternalError(`state of ${shardKey} (version ${version}) should have ${count} chunks; found ${parts.length}`);
    return Buffer.concat(parts);
  }

  /** Deletes the chunk items of a shard whose sort keys lie between `from` and `to` (inclusive). */
  private async deleteChunks(shardKey: string, from: string, to: string): Promise<void> {
    let start: Record<string, AttributeValue> | undefined;
    do {
      const out = await this.client.send(new QueryCommand({
        TableName: this.tableName,
        KeyConditionExpression: 'pk = :pk AND sk BETWEEN :from AND :to',
        ExpressionAttributeValues: { ':pk': { S: shardKey }, ':from': { S: from }, ':to': { S: to } },
        ProjectionExpression: 'pk, sk',
        ConsistentRead: true,
        ExclusiveStartKey: start,
      }));
      const keys = (out.Items ?? []).map((i) => ({ pk: i.pk, sk: i.sk }));
      for (let i = 0; i < keys.length; i += 25) {
        let requests = keys.slice(i, i + 25).map((k) => ({ DeleteRequest: { Key: k } }));
        // BatchWriteItem may hand some requests back unprocessed (throttling): send those again.
        for (let attempt = 0; requests.length > 0 && attempt < 5; attempt++) {
          const res = await this.client.send(new BatchWriteItemCommand({ RequestItems: { [this.tableName]: requests } }));
          requests = (res.UnprocessedItems?.[this.tableName] ?? []) as typeof requests;
        }
      }
      start = out.LastEvaluatedKey;
    } while (start);
  }
}

function key(pk: string, sk: string): Record<string, AttributeValue> {
  return { pk: { S: pk }, sk: { S: sk } };
}
