import { Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { allStacks, buildFlinkTestApp, buildTestApp, maskAssetHashes } from './support/test-app.js';

describe('synthesized templates', () => {
  // One snapshot per stack, asset hashes masked: a change to a template shows up in review as a diff here.
  const { stacks } = buildTestApp();
  for (const stack of allStacks(stacks)) {
    it(`${stack.node.id} matches its snapshot`, () => {
      expect(maskAssetHashes(Template.fromStack(stack).toJSON())).toMatchSnapshot();
    });
  }
});

describe('synthesized templates with engine flink', () => {
  // Only the CodeBucket (the jar upload) and StreamingApp (the MSF application) differ from the Lambda host's.
  const { stacks } = buildFlinkTestApp();
  for (const stack of [stacks.codeBucket, stacks.streamingApp]) {
    it(`${stack.node.id} matches its snapshot`, () => {
      expect(maskAssetHashes(Template.fromStack(stack).toJSON())).toMatchSnapshot();
    });
  }
});
