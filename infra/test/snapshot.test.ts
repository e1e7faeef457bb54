import { Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { allStacks, buildTestApp, maskAssetHashes } from './support/test-app.js';

describe('synthesized templates', () => {
  // One snapshot per stack, asset hashes masked: a change to a template shows up in review as a diff here.
  const { stacks } = buildTestApp();
  for (const stack of allStacks(stacks)) {
    it(`${stack.node.id} matches its snapshot`, () => {
      expect(maskAssetHashes(Template.fromStack(stack).toJSON())).toMatchSnapshot();
    });
  }
});
