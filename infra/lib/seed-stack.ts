/**
 * A stack that exports values under the seed's names, `{StackName}:{Key}`, and hands them to the stacks that
 * depend on it. Consumers import by key through the producing stack object, so the export name is written in
 * one place only: a key the producer does not export fails to compile (keys are typed) and, from untyped
 * callers, fails synth with a message listing the keys that exist.
 */
import { CfnOutput, Fn, Stack, type StackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { ConfigError } from '../../src/errors.js';
import { checkName, NAME_RULES } from './naming.js';

/** Props every stack of the app takes. */
export interface SeedStackProps extends StackProps {
  /** Tag value and prefix of resource names. */
  readonly projectName: string;
  /** Prefix of the CloudFormation stack names (`{StackName}-{Role}`) and of the export names (`{StackName}:{Key}`). */
  readonly stackNamePrefix: string;
}

export abstract class SeedStack<K extends string> extends Stack {
  readonly projectName: string;
  readonly stackNamePrefix: string;
  private readonly seedExports = new Map<K, CfnOutput>();

  /** @param role the seed's name of this stack, e.g. `InputStream` */
  protected constructor(scope: Construct, role: string, props: SeedStackProps) {
    const projectName = checkName('projectName', props.projectName, NAME_RULES.projectName);
    const stackNamePrefix = checkName('stackName', props.stackNamePrefix, NAME_RULES.stackName);
    const stackName = checkName('stackName', props.stackName ?? `${stackNamePrefix}-${role}`, NAME_RULES.cfnStack);
    super(scope, role, { ...props, stackName });
    this.projectName = projectName;
    this.stackNamePrefix = stackNamePrefix;
  }

  /** The export name of `key`: `{StackName}:{Key}`. */
  exportName(key: K): string {
    return `${this.stackNamePrefix}:${key}`;
  }

  /** Exports `value` as `{StackName}:{key}` (a stack output). */
  protected exportSeed(key: K, value: string, description: string): void {
    this.seedExports.set(key, new CfnOutput(this, `${key}Output`, { value, exportName: this.exportName(key), description }));
  }

  /** The keys this stack exports. */
  get exportedKeys(): K[] {
    return [...this.seedExports.keys()];
  }

  /**
   * Imports `{StackName}:{key}` into `consumer` (`Fn::ImportValue`) and makes `consumer` depend on this stack.
   * Throws a ConfigError naming the key when this stack exports no such value.
   */
  importInto(consumer: Stack, key: K): string {
    if (!this.seedExports.has(key)) {
      throw new ConfigError(
        `cross-stack reference ${consumer.node.id} -> ${this.node.id}`,
        `stack ${this.node.id} exports no value ${JSON.stringify(key)}; it exports: ${this.exportedKeys.join(', ')}`,
      );
    }
    if (Stack.of(consumer) === this) throw new ConfigError(`cross-stack reference ${key}`, `stack ${this.node.id} cannot import its own export`);
    consumer.addStackDependency(this, `imports ${this.exportName(key)}`);
    return Fn.importValue(this.exportName(key));
  }
}
