/**
 * A template's Parameters as CloudFormation checks them when a stack is created: each value (given with
 * `--parameter Name=value`, else the Default) against the parameter's Type, AllowedValues, AllowedPattern,
 * MinLength/MaxLength and MinValue/MaxValue, with its ConstraintDescription. Pseudo parameters (AWS::Region ...)
 * have placeholders that `--parameter AWS::Region=eu-west-1` overrides. A parameter without a value is an error
 * only where the application needs it (the Ref names it), since a local run needs few of a stack's parameters.
 */
import { ConfigError } from '../../errors.js';
import { isObject } from './kda-schema.js';
import type { SourceDocument } from './source-document.js';

/** The value of a parameter as Ref gives it: a string, or a list for the list types. */
export type ParameterValue = string | readonly string[];

export type ParameterLookup =
  | { readonly kind: 'value'; readonly value: ParameterValue }
  | { readonly kind: 'missing'; readonly message: string }
  | { readonly kind: 'unknown' };

const PSEUDO_NAMES = ['AWS::Region', 'AWS::AccountId', 'AWS::StackName', 'AWS::StackId', 'AWS::Partition', 'AWS::URLSuffix', 'AWS::NotificationARNs'];
const NUMBER = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;
const PLAIN_TYPES = ['String', 'Number', 'List<Number>', 'CommaDelimitedList'];

/** The placeholders a local run uses for the pseudo parameters; the partition and URL suffix follow the region. */
function pseudoValues(given: Readonly<Record<string, string>>): Record<string, ParameterValue> {
  const region = given['AWS::Region'] ?? 'us-east-1';
  const partition = given['AWS::Partition'] ?? (region.startsWith('cn-') ? 'aws-cn' : region.startsWith('us-gov-') ? 'aws-us-gov' : 'aws');
  const accountId = given['AWS::AccountId'] ?? '123456789012';
  const stackName = given['AWS::StackName'] ?? 'local';
  return {
    'AWS::Region': region,
    'AWS::AccountId': accountId,
    'AWS::StackName': stackName,
    'AWS::StackId': given['AWS::StackId'] ?? `arn:${partition}:cloudformation:${region}:${accountId}:stack/${stackName}/00000000-0000-0000-0000-000000000000`,
    'AWS::Partition': partition,
    'AWS::URLSuffix': given['AWS::URLSuffix'] ?? (partition === 'aws-cn' ? 'amazonaws.com.cn' : 'amazonaws.com'),
    'AWS::NotificationARNs': given['AWS::NotificationARNs'] === undefined ? [] : given['AWS::NotificationARNs'].split(','),
  };
}

/* eslint-disable @typescript-eslint/no-explicit-any -- untyped template, checked field by field */
export class TemplateParameters {
  private readonly values = new Map<string, ParameterValue>();
  private readonly declared: Record<string, any>;

  /** Checks every declared parameter that has a value, and every given one; throws the first violation. */
  constructor(private readonly src: SourceDocument, given: Readonly<Record<string, string>>) {
    const t = src.value as any;
    this.declared = isObject(t.Parameters) ? t.Parameters : {};
    for (const name of Object.keys(given)) {
      if (name.startsWith('AWS::')) {
        if (!PSEUDO_NAMES.includes(name)) throw new ConfigError('--parameter', `${name} is not a pseudo parameter (they are ${PSEUDO_NAMES.join(', ')})`);
      } else if (!(name in this.declared)) {
        const known = Object.keys(this.declared);
        throw src.error(['Parameters'], `--parameter ${name}: the template declares no parameter ${name}${known.length > 0 ? ` (it declares ${known.join(', ')})` : ''}`);
      }
    }
    for (const [name, v] of Object.entries(pseudoValues(given))) this.values.set(name, v);
    for (const [name, p] of Object.entries(this.declared)) {
      if (!isObject(p)) throw src.error(['Parameters', name], 'must be an object with at least a Type');
      this.checkDeclaration(name, p);
      // An SSM parameter's Default names a key of the parameter store, not its value: locally only a given value counts.
      const fromStore = String(p.Type).startsWith('AWS::SSM::Parameter::Value<');
      const raw = given[name] ?? (p.Default === undefined || fromStore ? undefined : scalarText(p.Default));
      if (raw === undefined) continue;
      this.values.set(name, this.check(name, p, raw, given[name] !== undefined ? '--parameter' : 'Default'));
    }
  }

  lookup(name: string): ParameterLookup {
    const v = this.values.get(name);
    if (v !== undefined) return { kind: 'value', value: v };
    const p = this.declared[name];
    if (p === undefined) return { kind: 'unknown' };
    if (String(p.Type).startsWith('AWS::SSM::Parameter::Value<')) {
      return { kind: 'missing', message: `parameter ${name} is read from the SSM parameter store, which needs an AWS account: give its value with --parameter ${name}=<value>` };
    }
    return { kind: 'missing', message: `parameter ${name} has no value (and no Default): give it with --parameter ${name}=<value>` };
  }

  private checkDeclaration(name: string, p: Record<string, any>): void {
    const type = p.Type;
    const at = ['Parameters', name];
    if (typeof type !== 'string') throw this.src.error([...at, 'Type'], 'every parameter needs a Type (String, Number, List<Number>, CommaDelimitedList or an AWS-specific type)');
    if (!PLAIN_TYPES.includes(type) && !type.startsWith('AWS::') && !type.startsWith('List<AWS::')) {
      throw this.src.error([...at, 'Type'], `unknown parameter type '${type}' (String, Number, List<Number>, CommaDelimitedList or an AWS-specific type such as AWS::EC2::VPC::Id)`);
    }
    for (const k of ['MinLength', 'MaxLength', 'MinValue', 'MaxValue']) {
      if (p[k] !== undefined && !NUMBER.test(scalarText(p[k]))) throw this.src.error([...at, k], `must be a number. Received ${JSON.stringify(p[k])}`);
    }
    if (p.AllowedValues !== undefined && !Array.isArray(p.AllowedValues)) throw this.src.error([...at, 'AllowedValues'], 'must be a list of values');
    if (p.AllowedPattern !== undefined) {
      try {
        new RegExp(String(p.AllowedPattern), 'u');
      } catch (e) {
        throw this.src.error([...at, 'AllowedPattern'], `is not a valid regular expression: ${(e as Error).message}`);
      }
    }
  }

  /** The value of a parameter, checked against its rules as CloudFormation does on create-stack. */
  private check(name: string, p: Record<string, any>, raw: string, from: '--parameter' | 'Default'): ParameterValue {
    const type: string = p.Type;
    const list = type === 'CommaDelimitedList' || type.startsWith('List<');
    const items = list ? raw.split(',').map((s) => s.trim()) : [raw];
    const fail = (rule: string, message: string): ConfigError => {
      const shown = from === '--parameter' ? `--parameter ${name}=${raw}` : `Default '${raw}'`;
      const why = p.ConstraintDescription === undefined ? '' : ` (${String(p.ConstraintDescription).trim()})`;
      return this.src.error(['Parameters', name, rule], `parameter ${name}: ${shown} ${message}${why}`);
    };
    for (const item of items) {
      if ((type === 'Number' || type === 'List<Number>') && !NUMBER.test(item)) throw fail('Type', `is not a number (Type ${type})`);
      if (p.AllowedValues !== undefined && !p.AllowedValues.map(scalarText).includes(item)) {
        throw fail('AllowedValues', `is not one of the AllowedValues ${p.AllowedValues.map((v: unknown) => `'${scalarText(v)}'`).join(', ')}`);
      }
      if (p.AllowedPattern !== undefined && !new RegExp(`^(?:${String(p.AllowedPattern)})$`, 'u').test(item)) {
        throw fail('AllowedPattern', `does not match the AllowedPattern ${String(p.AllowedPattern)}`);
      }
      if (p.MinLength !== undefined && item.length < Number(p.MinLength)) throw fail('MinLength', `has ${item.length} character(s); MinLength is ${scalarText(p.MinLength)}`);
      if (p.MaxLength !== undefined && item.length > Number(p.MaxLength)) throw fail('MaxLength', `has ${item.length} characters; MaxLength is ${scalarText(p.MaxLength)}`);
      if (p.MinValue !== undefined && NUMBER.test(item) && Number(item) < Number(p.MinValue)) throw fail('MinValue', `is less than the MinValue ${scalarText(p.MinValue)}`);
      if (p.MaxValue !== undefined && NUMBER.test(item) && Number(item) > Number(p.MaxValue)) throw fail('MaxValue', `is greater than the MaxValue ${scalarText(p.MaxValue)}`);
    }
    return list ? items : raw;
  }
}
/* eslint-enable @typescript-eslint/no-explicit-any */

/** YAML reads `Default: true` and `AllowedValues: [1, 2]` as a boolean and numbers; CloudFormation as text. */
export function scalarText(v: unknown): string {
  return typeof v === 'string' ? v : Array.isArray(v) ? v.map(scalarText).join(',') : String(v);
}
