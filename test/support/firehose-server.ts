/**
 * A local node:http server on 127.0.0.1 that speaks the Firehose JSON protocol for PutRecordBatch
 * (X-Amz-Target Firehose_20150804.PutRecordBatch): it keeps the records it accepts and can fail entries
 * (ErrorCode, FailedPutCount) or whole calls (HTTP 500) on demand. No Firehose implementation runs locally;
 * this is the protocol, enough to test the real client code against.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FirehoseCall {
  readonly stream: string;
  readonly records: Buffer[];
}

/** Decides, per call and entry, whether the entry fails (returns an ErrorCode). */
export type FailurePlan = (callIndex: number, entry: Buffer, entryIndex: number) => string | undefined;

export interface FirehoseServer {
  readonly endpoint: string;
  readonly calls: FirehoseCall[];
  /** Records accepted, per delivery stream, in order. */
  readonly accepted: Map<string, Buffer[]>;
  plan: FailurePlan;
  /** The next this many calls fail as a whole (ServiceUnavailableException, HTTP 500). */
  failWholeCalls: number;
  /** Accepted lines of a stream (records split at their newlines). */
  lines(stream: string): string[];
  reset(): void;
  stop(): Promise<void>;
}

export async function startFirehoseServer(): Promise<FirehoseServer> {
  const state = {
    calls: [] as FirehoseCall[],
    accepted: new Map<string, Buffer[]>(),
    plan: (() => undefined) as FailurePlan,
    failWholeCalls: 0,
  };
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const json = (status: number, body: unknown) => res.writeHead(status, { 'content-type': 'application/x-amz-json-1.1' }).end(JSON.stringify(body));
      if (req.headers['x-amz-target'] !== 'Firehose_20150804.PutRecordBatch') {
        json(400, { __type: 'UnknownOperationException', message: `not supported: ${String(req.headers['x-amz-target'])}` });
        return;
      }
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { DeliveryStreamName: string; Records: { Data: string }[] };
      const records = body.Records.map((r) => Buffer.from(r.Data, 'base64'));
      const callIndex = state.calls.length;
      state.calls.push({ stream: body.DeliveryStreamName, records });
      if (state.failWholeCalls > 0) {
        state.failWholeCalls--;
        json(500, { __type: 'ServiceUnavailableException', message: 'slow down' });
        return;
      }
      const kept = state.accepted.get(body.DeliveryStreamName) ?? [];
      state.accepted.set(body.DeliveryStreamName, kept);
      const responses = records.map((data, i) => {
        const code = state.plan(callIndex, data, i);
        if (code) return { ErrorCode: code, ErrorMessage: `entry ${i} failed` };
        kept.push(data);
        return { RecordId: `rec-${callIndex}-${i}` };
      });
      json(200, { FailedPutCount: responses.filter((r) => 'ErrorCode' in r).length, Encrypted: false, RequestResponses: responses });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  return {
    endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    get calls() { return state.calls; },
    get accepted() { return state.accepted; },
    get plan() { return state.plan; },
    set plan(p: FailurePlan) { state.plan = p; },
    get failWholeCalls() { return state.failWholeCalls; },
    set failWholeCalls(n: number) { state.failWholeCalls = n; },
    lines: (stream) => (state.accepted.get(stream) ?? []).flatMap((b) => b.toString('utf8').split(/(?<=\n)/)),
    reset() {
      state.calls = [];
      state.accepted = new Map();
      state.plan = () => undefined;
      state.failWholeCalls = 0;
    },
    async stop() {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}
