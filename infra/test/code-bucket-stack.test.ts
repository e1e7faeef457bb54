import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp } from './support/test-app.js';

describe('CodeBucket stack', () => {
  let template: Template;
  beforeAll(() => {
    // GIVEN the app over the fixture bundles / WHEN synthesized
    template = Template.fromStack(buildTestApp().stacks.codeBucket);
  });

  it('uploads each bundle as a zip (not extracted, never pruned) under its own prefix', () => {
    // THEN
    const deployments = template.findResources('Custom::CDKBucketDeployment');
    const props = Object.values(deployments).map((d) => d.Properties);
    expect(props.map((p) => p.DestinationBucketKeyPrefix).sort()).toEqual(['lambda/analytics/', 'lambda/preprocessor/']);
    for (const p of props) {
      expect(p.Extract).toBe(false);
      expect(p.Prune).toBe(false);
      expect(p.SourceObjectKeys).toHaveLength(1);
    }
  });

  it('exports the bucket and the two bundle keys under the seed names', () => {
    for (const key of ['CodeBucket', 'CodeBucketArn', 'PreprocessorCodeKey', 'AnalyticsCodeKey']) {
      template.hasOutput('*', { Export: { Name: `satest:${key}` } });
    }
  });

  it('fails with a hint to build when a bundle folder has no index.mjs', () => {
    // GIVEN a bundle folder without index.mjs
    const empty = mkdtempSync(join(tmpdir(), 'no-bundle-'));
    // WHEN the app is built / THEN it fails naming the prop
    expect(() => buildTestApp({ analyticsCodePath: empty })).toThrow(/analyticsCodePath: no Lambda bundle at .*run `npm run build`/);
  });
});
