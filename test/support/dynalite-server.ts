/**
 * Starts dynalite (a DynamoDB implementation on LevelDB, in memory) in this process on 127.0.0.1 and a free port,
 * and creates tables with the StreamingApp stack's state-table key schema (pk, sk: strings). A server that
 * cannot start fails the test with the reason; nothing is skipped.
 */
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { CreateTableCommand, DescribeTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';

/** The state table's key schema, as infra/lib/streaming-app-stack.ts declares it (a test compares them). */
export const STATE_TABLE_KEY_SCHEMA = [
  { AttributeName: 'pk', KeyType: 'HASH' as const },
  { AttributeName: 'sk', KeyType: 'RANGE' as const },
];

export interface DynaliteServer {
  readonly endpoint: string;
  readonly client: DynamoDBClient;
  readonly clientOptions: { endpoint: string; region: string; credentials: { accessKeyId: string; secretAccessKey: string } };
  /** Creates a table with the state table's key schema and waits until it is ACTIVE. */
  createStateTable(name: string): Promise<void>;
  stop(): Promise<void>;
}

const require = createRequire(import.meta.url);

export async function startDynalite(): Promise<DynaliteServer> {
  const dynalite = require('dynalite') as (options: Record<string, unknown>) => Server;
  const server = dynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
  await new Promise<void>((resolve, reject) => {
    server.once('error', (e) => reject(new Error(`dynalite could not listen on 127.0.0.1: ${e.message}`)));
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const endpoint = `http://127.0.0.1:${port}`;
  const clientOptions = { endpoint, region: 'us-east-1', credentials: { accessKeyId: 'testkey', secretAccessKey: 'testsecret' } };
  const client = new DynamoDBClient({ ...clientOptions, maxAttempts: 2 });
  return {
    endpoint,
    client,
    clientOptions,
    async createStateTable(name) {
      await client.send(new CreateTableCommand({
        TableName: name,
        KeySchema: STATE_TABLE_KEY_SCHEMA,
        AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }, { AttributeName: 'sk', AttributeType: 'S' }],
        BillingMode: 'PAY_PER_REQUEST',
      }));
      for (let i = 0; i < 200; i++) {
        const out = await client.send(new DescribeTableCommand({ TableName: name }));
        if (out.Table?.TableStatus === 'ACTIVE') return;
        await new Promise((r) => setTimeout(r, 10));
      }
      throw new Error(`dynalite: table ${name} did not become ACTIVE`);
    },
    async stop() {
      client.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve, reject) => server.close((e) => (e ? reject(e) : resolve())));
    },
  };
}
