import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { captureStdout } from '../../test/fixtures/lambda/capture-stdout.js';
import { ConfigError } from '../errors.js';
import { handlerConfigFromEnvironment } from './handler-config.js';
import { type KdaPreprocessingEvent, preprocessKdaEvent } from './preprocess-kda-event.js';
import { createPreprocessorHandler } from './preprocessor-handler.js';

const fixtures = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', 'test', 'fixtures', 'lambda');
const load = (name: string) => JSON.parse(readFileSync(path.join(fixtures, name), 'utf8')) as KdaPreprocessingEvent;

describe('preprocessor handler', () => {
  it('answers a mixed event, logs each failure with its reason, and publishes the counts as EMF', async () => {
    const event = load('kda-preprocessing-mixed.json');
    const handler = createPreprocessorHandler();
    const { result, output } = await captureStdout(() => handler(event));
    expect(result).toEqual(preprocessKdaEvent(event).response);
    const warnings = output.logs('WARN');
    expect(warnings.map((w) => [w.message, w.recordId, w.reason])).toEqual([
      ['record answered ProcessingFailed', event.records[2].recordId, 'corrupt-aggregate'],
      ['record answered ProcessingFailed', event.records[3].recordId, 'invalid-base64'],
      ['record answered ProcessingFailed', event.records[4].recordId, 'corrupt-aggregate'],
    ]);
    expect(warnings[2].detail).toMatch(/partition_key_index 5/);
    expect(warnings[0].service).toBe('kpl-preprocessor');
    expect(output.logs('INFO')).toMatchObject([{ message: 'preprocessed', invocationId: event.invocationId, records: 6, aggregates: 2, userRecords: 9, failed: 3 }]);
    expect(output.namespaces).toEqual(['StreamingAnalytics']);
    expect(output.metrics).toEqual({
      KinesisRecordsIn: 6,
      KplAggregates: 2,
      UserRecordsOut: 9,
      ProcessingFailed: 3,
      FailedInvalidBase64: 1,
      FailedCorruptAggregate: 2,
      FailedMalformedRecord: 0,
      FailedResponseTooLarge: 0,
    });
  });

  it('answers an empty batch with no records', async () => {
    const { result, output } = await captureStdout(() => createPreprocessorHandler()(load('kda-preprocessing-empty.json')));
    expect(result).toEqual({ records: [] });
    expect(output.metrics.KinesisRecordsIn).toBe(0);
  });

  it('does not crash on a malformed event: no records, an error log', async () => {
    const { result, output } = await captureStdout(() => createPreprocessorHandler()('not an event'));
    expect(result).toEqual({ records: [] });
    expect(output.logs('ERROR')).toMatchObject([{ message: 'malformed preprocessing event', problem: "expected an object with a 'records' array; received string" }]);
  });

  it('if de-aggregation itself throws (a bug), every record is still answered, ProcessingFailed with its data', async () => {
    const exploding = {
      get maxResponseBytes(): number {
        throw new Error('boom');
      },
    };
    const event = load('kda-preprocessing-mixed.json');
    const { result, output } = await captureStdout(() => createPreprocessorHandler({ preprocess: exploding })(event));
    expect(result.records).toEqual(event.records.map((r) => ({ recordId: r.recordId, result: 'ProcessingFailed', data: r.data })));
    expect(output.logs('ERROR')[0].message).toMatch(/preprocessing failed unexpectedly/);
    expect(output.metrics.ProcessingFailed).toBe(6);
  });

  it('logs at most 50 failures one by one, then how many more', async () => {
    const event = { records: Array.from({ length: 60 }, (_, i) => ({ recordId: `r${i}`, data: '!' })) };
    const { result, output } = await captureStdout(() => createPreprocessorHandler()(event));
    expect(result.records.every((r) => r.result === 'ProcessingFailed')).toBe(true);
    expect(output.logs('WARN')).toHaveLength(51);
    expect(output.logs('WARN')[50]).toMatchObject({ notLogged: 10 });
  });
});

describe('handlerConfigFromEnvironment', () => {
  it('defaults, and reads the two settings', () => {
    expect(handlerConfigFromEnvironment({})).toEqual({ corruptAggregates: 'fail', userRecordSeparator: '' });
    expect(handlerConfigFromEnvironment({ CORRUPT_AGGREGATES: 'pass-through', USER_RECORD_SEPARATOR: '\\n' })).toEqual({ corruptAggregates: 'pass-through', userRecordSeparator: '\n' });
    expect(handlerConfigFromEnvironment({ USER_RECORD_SEPARATOR: '\\r\\n' }).userRecordSeparator).toBe('\r\n');
  });
  it('rejects other values, naming the variable', () => {
    expect(() => handlerConfigFromEnvironment({ CORRUPT_AGGREGATES: 'drop' })).toThrow(new ConfigError('CORRUPT_AGGREGATES', "expected 'fail' or 'pass-through'; received 'drop'"));
    expect(() => handlerConfigFromEnvironment({ USER_RECORD_SEPARATOR: ';' })).toThrow(/USER_RECORD_SEPARATOR/);
  });
});
