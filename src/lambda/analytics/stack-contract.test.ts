// The contract between the StreamingApp stack (infra/lib/streaming-app-stack.ts) and this function: the
// environment variable names, the clock tick event, the state table's key schema, and an environment as the
// stack synthesizes it that the function's configuration accepts.
import { Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { buildTestApp } from '../../../infra/test/support/test-app.js';
import { ANALYTICS_ENV, CLOCK_TICK_EVENT } from '../../../infra/lib/streaming-app-stack.js';
import { ApplicationRuntime } from '../../runtime/application-runtime.js';
import { STATE_TABLE_KEY_SCHEMA } from '../../../test/support/dynalite-server.js';
import { ANALYTICS_ENV_VARS, CLOCK_TICK, analyticsConfigFromEnvironment } from './analytics-config.js';

describe('contract with the StreamingApp stack', () => {
  it('reads the environment variables the stack sets, and knows its clock tick event', () => {
    expect(ANALYTICS_ENV_VARS).toEqual(ANALYTICS_ENV);
    expect(CLOCK_TICK).toEqual(CLOCK_TICK_EVENT);
  });

  it('accepts the environment the stack synthesizes, and its tests use the stack table key schema', () => {
    const template = Template.fromStack(buildTestApp().stacks.streamingApp);
    const table = Object.values(template.findResources('AWS::DynamoDB::Table'))[0];
    expect(table.Properties.KeySchema).toEqual(STATE_TABLE_KEY_SCHEMA);
    expect(table.Properties.AttributeDefinitions).toEqual([{ AttributeName: 'pk', AttributeType: 'S' }, { AttributeName: 'sk', AttributeType: 'S' }]);
    const fn = Object.values(template.findResources('AWS::Lambda::Function', { Properties: { Runtime: 'nodejs24.x' } }))[0];
    // Values known only at deploy time (Ref, Fn::ImportValue, Fn::Join) become plausible names.
    const resolve = (v: unknown): string => (typeof v === 'string' ? v : 'Fn::Join' in (v as object) ? (v as { 'Fn::Join': [string, unknown[]] })['Fn::Join'][1].map(resolve).join('') : 'deployed-name');
    const env = Object.fromEntries(Object.entries(fn.Properties.Environment.Variables as Record<string, unknown>).map(([k, v]) => [k, resolve(v)]));
    const config = analyticsConfigFromEnvironment(env);
    expect(config).toMatchObject({ applicationName: 'ticker', deaggregation: 'preprocessor', preprocessorFunctionName: 'deployed-name', stateTableName: 'deployed-name' });
    expect([...config.outputDeliveryStreams]).toEqual([['DESTINATION_SQL_STREAM', 'deployed-name']]);
    // The SQL and input schema as deployed compile in the runtime the function uses.
    expect(ApplicationRuntime.compile(config.spec).inputStream).toBe('SOURCE_SQL_STREAM_001');
  });
});
