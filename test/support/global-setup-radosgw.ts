/**
 * Vitest global setup: one radosgw for the whole run, for test files that call useRadosgw() (they start a
 * private one when this setup is not configured). Enable with `globalSetup: ['./test/support/global-setup-radosgw.ts']`
 * in vitest.config.ts.
 */
import type { TestProject } from 'vitest/node';
import { RADOSGW_PROVIDE_KEY, startRadosgw } from './radosgw.js';

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const instance = await startRadosgw();
  project.provide(RADOSGW_PROVIDE_KEY, {
    endpoint: instance.endpoint,
    accessKeyId: instance.accessKeyId,
    secretAccessKey: instance.secretAccessKey,
    region: instance.region,
  });
  return () => instance.stop();
}
