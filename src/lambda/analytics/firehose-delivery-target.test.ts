import { describe, expect, it } from 'vitest';
import { MemoryDelivery, silentLogger } from '../../../test/support/analytics-harness.js';
import { analyticsConfigFromEnvironment } from './analytics-config.js';
import { FirehoseDeliveryTarget } from './firehose-delivery-target.js';

const row = { stream: 'OUT', row: { ROWTIME: '2026-01-01 00:00:01.000', N: 1, S: 'x' }, rowtime: Date.UTC(2026, 0, 1, 0, 0, 1) };
const target = (includeRowtime?: boolean) => new FirehoseDeliveryTarget(new MemoryDelivery(), new Map([['OUT', 'd-out']]), 'd-err', silentLogger(), 'shard', includeRowtime);

describe('Firehose delivery lines', () => {
  it('hold exactly the stream\'s columns, as KDA delivered them', () => {
    expect(target().route(row).line).toBe('{"N":1,"S":"x"}\n');
  });
  it('hold ROWTIME first when INCLUDE_ROWTIME asks for it', () => {
    expect(target(true).route(row).line).toBe('{"ROWTIME":"2026-01-01 00:00:01.000","N":1,"S":"x"}\n');
  });
  it('INCLUDE_ROWTIME is true or false, false by default', () => {
    const env = { APPLICATION_NAME: 'a', APPLICATION_SQL: 'x', APPLICATION_INPUT: '{}', DEAGGREGATION: 'none', OUTPUT_DELIVERY_STREAMS: '{}', ERROR_DELIVERY_STREAM: 'e', STATE_TABLE_NAME: 't' };
    expect(analyticsConfigFromEnvironment(env).includeRowtime).toBe(false);
    expect(analyticsConfigFromEnvironment({ ...env, INCLUDE_ROWTIME: 'true' }).includeRowtime).toBe(true);
    expect(() => analyticsConfigFromEnvironment({ ...env, INCLUDE_ROWTIME: 'yes' })).toThrow(/INCLUDE_ROWTIME.*"true" or "false"/);
  });
});
