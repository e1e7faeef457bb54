/**
 * Faults injected into a real SDK client talking to a real emulator (the emulators never throttle): the
 * middleware acts before the request is serialised, so a "failed" entry is really never sent.
 */
import {
  ExpiredIteratorException, ProvisionedThroughputExceededException, type KinesisClient, type PutRecordsRequestEntry,
} from '@aws-sdk/client-kinesis';

interface Handle {
  /** How many faults were injected so far. */
  readonly count: number;
  remove(): void;
}

/**
 * The next `times` GetRecords calls fail without reaching the server, with ProvisionedThroughputExceededException
 * (or ExpiredIteratorException).
 */
export function throttleGetRecords(client: KinesisClient, times: number, kind: 'throttled' | 'expired' = 'throttled'): Handle {
  return throttleCommand(client, 'GetRecordsCommand', times, kind);
}

/** The next `times` calls of a command (e.g. 'ListShardsCommand') fail as {@link throttleGetRecords} describes. */
export function throttleCommand(client: KinesisClient, commandName: string, times: number, kind: 'throttled' | 'expired' = 'throttled'): Handle {
  let injected = 0;
  const name = `throttle-${commandName}-${Math.random()}`;
  client.middlewareStack.add(
    (next, context) => async (args) => {
      if (context.commandName === commandName && injected < times) {
        injected++;
        if (kind === 'expired') throw new ExpiredIteratorException({ message: 'Iterator expired (injected)', $metadata: {} });
        throw new ProvisionedThroughputExceededException({ message: 'Rate exceeded for shard (injected)', $metadata: {} });
      }
      return next(args);
    },
    { step: 'initialize', name },
  );
  return { get count() { return injected; }, remove: () => { client.middlewareStack.remove(name); } };
}

/**
 * PutRecords entries for which `fail(entry, call)` is true are dropped from the request and reported failed with
 * ProvisionedThroughputExceededException in the response, at their place, as Kinesis reports partial failures.
 */
export function failPutRecordsEntries(client: KinesisClient, fail: (entry: PutRecordsRequestEntry, call: number) => boolean): Handle {
  let injected = 0;
  let call = 0;
  const name = `fail-put-records-${Math.random()}`;
  client.middlewareStack.add(
    (next, context) => async (args) => {
      if (context.commandName !== 'PutRecordsCommand') return next(args);
      call++;
      const input = args.input as { Records: PutRecordsRequestEntry[] };
      const failing = input.Records.map((entry) => fail(entry, call));
      const sent = input.Records.filter((_, i) => !failing[i]);
      const failures = failing.filter(Boolean).length;
      injected += failures;
      const failedEntry = { ErrorCode: 'ProvisionedThroughputExceededException', ErrorMessage: 'Rate exceeded for shard (injected)' };
      if (sent.length === 0) {
        return { output: { $metadata: {}, FailedRecordCount: failures, Records: input.Records.map(() => failedEntry) }, response: {} } as never;
      }
      const result = await next({ ...args, input: { ...input, Records: sent } });
      const output = result.output as { FailedRecordCount?: number; Records: unknown[] };
      const answered = [...output.Records];
      output.Records = failing.map((f) => (f ? failedEntry : answered.shift()));
      output.FailedRecordCount = (output.FailedRecordCount ?? 0) + failures;
      return result;
    },
    { step: 'initialize', name },
  );
  return { get count() { return injected; }, remove: () => { client.middlewareStack.remove(name); } };
}
