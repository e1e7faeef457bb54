import { App } from 'aws-cdk-lib';
import { describe, expect, it } from 'vitest';
import { readContextConfig } from '../lib/context-config.js';
import { cdkJsonContext } from './support/test-app.js';

const read = (context: Record<string, unknown>) => readContextConfig(new App({ context: { ...cdkJsonContext(), ...context } }).node);

describe('context inputs', () => {
  it('reads the defaults of cdk.json', () => {
    const config = read({});
    expect(config).toMatchObject({ projectName: 'streaming-analytics', stackName: 'streaming-analytics', applicationName: 'ticker', applicationPath: 'examples/ticker', bundleDir: 'build/lambda' });
    expect(config.sourceRecordsAggregation).toBeUndefined();
  });

  it('parses -c strings into numbers, booleans, lists and durations', () => {
    const config = read({ shardCount: '4', retentionHours: '48', sourceRecordsAggregation: 'false', outputStreams: 'A, B', maxBatchingWindowSeconds: '10', deaggregateWith: 'in-process' });
    expect(config).toMatchObject({ shardCount: 4, retentionHours: 48, sourceRecordsAggregation: false, outputStreams: ['A', 'B'], deaggregateWith: 'in-process' });
    expect(config.maxBatchingWindow?.toSeconds()).toBe(10);
    expect(read({ shardCount: 'on-demand' }).shardCount).toBe('on-demand');
  });

  it('fails on a value of the wrong kind, naming the key', () => {
    expect(() => read({ shardCount: 'two' })).toThrow('context shardCount: must be an integer. Received "two"');
    expect(() => read({ sourceRecordsAggregation: 'yes' })).toThrow('context sourceRecordsAggregation: must be one of "true", "false". Received "yes"');
    expect(() => read({ startingPosition: 'NOW' })).toThrow('context startingPosition: must be one of "LATEST", "TRIM_HORIZON". Received "NOW"');
  });

  it('fails on an unknown key that looks like ours, with a suggestion; leaves CDK keys alone', () => {
    expect(() => read({ projectNmae: 'x' })).toThrow(/context projectNmae: is not a setting of this app; did you mean "projectName"\?/);
    expect(() => read({ colour: 'x' })).toThrow(/context colour: is not a setting of this app; the settings are: projectName, /);
    expect(() => read({ '@aws-cdk/some:flag': true, 'acknowledged-issue-numbers': [1] })).not.toThrow();
  });

  it('reads engine flink with its jar and settings; the Lambda host stays the default', () => {
    expect(read({}).engine).toBeUndefined();
    const config = read({ engine: 'flink', parallelism: '4', parallelismPerKpu: '2', autoScaling: 'true', checkpointIntervalSeconds: '30', logLevel: 'WARN' });
    expect(config).toMatchObject({ engine: 'flink', flinkJarPath: 'flink/target/streaming-analytics-flink.jar' });
    expect(config.flink).toEqual({ parallelism: 4, parallelismPerKpu: 2, autoScaling: true, checkpointIntervalSeconds: 30, logLevel: 'WARN' });
    expect(read({ engine: 'flink', flinkJarPath: 'out/job.jar' }).flinkJarPath).toBe('out/job.jar');
  });

  it('fails on a bad engine or Flink setting, naming the key and the value received', () => {
    expect(() => read({ engine: 'spark' })).toThrow('context engine: must be one of "lambda", "flink". Received "spark"');
    expect(() => read({ engine: 'flink', parallelism: 'many' })).toThrow('context parallelism: must be an integer. Received "many"');
    expect(() => read({ engine: 'flink', checkpointing: 'on' })).toThrow('context checkpointing: must be one of "true", "false". Received "on"');
    expect(() => read({ engine: 'flink', metricsLevel: 'ALL' })).toThrow('context metricsLevel: must be one of "APPLICATION", "OPERATOR", "PARALLELISM", "TASK". Received "ALL"');
    expect(() => read({ parallelism: '2' })).toThrow('context parallelism: only applies with -c engine=flink');
  });
});
