import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkFlinkSettings, FLINK_RUNTIME_ENVIRONMENT } from '../lib/flink-settings.js';
import { projectRoot } from './support/test-app.js';

describe('Flink settings', () => {
  it('deploys the MSF runtime of the Flink version the job in flink/ is built against', () => {
    // GIVEN the job's pom / THEN its major.minor is the runtime (FLINK-1_20 for 1.20.x)
    const pom = readFileSync(join(projectRoot, 'flink', 'pom.xml'), 'utf8');
    const version = /<flink\.version>(\d+)\.(\d+)\.\d+<\/flink\.version>/.exec(pom);
    expect(version, 'flink.version in flink/pom.xml').not.toBeNull();
    expect(FLINK_RUNTIME_ENVIRONMENT).toBe(`FLINK-${version![1]}_${version![2]}`);
  });

  it('fills the defaults', () => {
    expect(checkFlinkSettings()).toEqual({
      parallelism: 1, parallelismPerKpu: 1, autoScaling: false, checkpointing: true, checkpointIntervalSeconds: 60,
      minPauseBetweenCheckpointsSeconds: 5, snapshots: true, logLevel: 'INFO', metricsLevel: 'APPLICATION',
    });
  });

  it('fails on values MSF refuses, naming the setting and the value received', () => {
    expect(() => checkFlinkSettings({ parallelism: 257 })).toThrow('parallelism: must be an integer from 1 to 256. Received 257');
    expect(() => checkFlinkSettings({ parallelism: 1.5 })).toThrow('parallelism: must be an integer from 1 to 256. Received 1.5');
    expect(() => checkFlinkSettings({ checkpointIntervalSeconds: 0 })).toThrow('checkpointIntervalSeconds: must be an integer from 1 to 86400 (seconds). Received 0');
    expect(() => checkFlinkSettings({ logLevel: 'TRACE' as never })).toThrow('logLevel: must be one of DEBUG, INFO, WARN, ERROR. Received "TRACE"');
  });
});
