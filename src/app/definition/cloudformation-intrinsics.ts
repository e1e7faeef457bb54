/**
 * Resolves a template's intrinsic functions as CloudFormation would, as far as that is possible without an
 * account: Ref (parameters, pseudo parameters, AWS::NoValue), Fn::Sub (both forms), Fn::Join, Fn::Select,
 * Fn::Split, Fn::FindInMap (Mappings), Fn::If with Conditions (Fn::Equals/And/Or/Not, Condition), Fn::Base64,
 * Fn::Length and Fn::ToJsonString. What only a deployed stack knows (Fn::GetAtt, Fn::ImportValue, Ref to a
 * resource, SSM parameters...) becomes an Unresolved marker: harmless where the application does not need the
 * value (a role ARN), an error naming it at its line and column where it does (the SQL, an output name).
 */
import type { ConfigError } from '../../errors.js';
import type { TemplateParameters } from './cloudformation-parameters.js';
import { scalarText } from './cloudformation-parameters.js';
import { isObject } from './kda-schema.js';
import type { FieldPath, SourceDocument } from './source-document.js';

/** A value CloudFormation could give only with an account, or a template error, found at `at` in the file. */
export class Unresolved {
  constructor(
    readonly at: FieldPath,
    readonly message: string,
  ) {}
}

/** `Ref: AWS::NoValue`: the property is removed. */
const NO_VALUE: unique symbol = Symbol('AWS::NoValue');

/* eslint-disable @typescript-eslint/no-explicit-any -- untyped template values */
export class TemplateResolver {
  /** Where each object or array the resolver built came from in the file, so that errors inside it keep their position. */
  private readonly origins = new WeakMap<object, FieldPath>();
  private readonly conditions = new Map<string, boolean | Unresolved>();
  private readonly template: any;

  constructor(
    readonly src: SourceDocument,
    private readonly parameters: TemplateParameters,
  ) {
    this.template = src.value;
  }

  /** The value at `path` of the template with its intrinsics resolved; undefined when absent or AWS::NoValue. */
  resolve(path: FieldPath): unknown {
    let v = this.template;
    for (const p of path) v = v?.[p];
    const r = this.node(v, path);
    return r === NO_VALUE ? undefined : r;
  }

  /** Whether the named condition holds, or an Unresolved when it depends on what only a deployed stack knows. */
  condition(name: string, at: FieldPath): boolean | Unresolved {
    const known = this.conditions.get(name);
    if (known !== undefined) return known;
    const defs = this.template.Conditions;
    if (!isObject(defs) || !(name in defs)) return new Unresolved(at, `no condition named ${name} in the template's Conditions`);
    // A condition that refers to itself would loop: mark it while it is evaluated.
    this.conditions.set(name, new Unresolved(['Conditions', name], `condition ${name} refers to itself`));
    const value = this.conditionValue(defs[name], ['Conditions', name]);
    this.conditions.set(name, value);
    return value;
  }

  /** The ConfigError for an Unresolved, at its position in the file. */
  error(u: Unresolved): ConfigError {
    return this.src.error(u.at, u.message);
  }

  /** The file position (as a path in the file) of `path` into a resolved value whose root came from `rootAt`. */
  filePath(root: unknown, rootAt: FieldPath, path: FieldPath): FieldPath {
    let at = rootAt;
    let suffix: (string | number)[] = [];
    let v: any = root;
    for (const p of path) {
      v = v?.[p];
      const origin = typeof v === 'object' && v !== null ? this.origins.get(v) : undefined;
      if (origin) {
        at = origin;
        suffix = [];
      } else suffix.push(p);
    }
    return [...at, ...suffix];
  }

  private node(v: unknown, at: FieldPath): unknown {
    if (Array.isArray(v)) {
      const out = v.map((x, i) => this.node(x, [...at, i])).filter((x) => x !== NO_VALUE);
      this.origins.set(out, at);
      return out;
    }
    if (!isObject(v)) return v;
    const keys = Object.keys(v);
    if (keys.length === 1 && (keys[0] === 'Ref' || keys[0].startsWith('Fn::'))) return this.intrinsic(keys[0], v[keys[0]], at);
    const out: Record<string, unknown> = {};
    for (const k of keys) {
      const r = this.node(v[k], [...at, k]);
      if (r !== NO_VALUE) out[k] = r;
    }
    this.origins.set(out, at);
    return out;
  }

  private intrinsic(fn: string, arg: unknown, at: FieldPath): unknown {
    const argAt = [...at, fn];
    switch (fn) {
      case 'Ref':
        return typeof arg === 'string' ? this.ref(arg, at) : new Unresolved(at, 'Ref takes the name of a parameter or a resource');
      case 'Fn::Sub':
        return this.sub(arg, argAt);
      case 'Fn::Join': {
        if (!Array.isArray(arg) || arg.length !== 2) return new Unresolved(argAt, 'Fn::Join takes [delimiter, [values...]]');
        const sep = this.node(arg[0], [...argAt, 0]);
        const list = this.node(arg[1], [...argAt, 1]);
        if (sep instanceof Unresolved) return sep;
        if (list instanceof Unresolved) return list;
        if (typeof sep !== 'string' || !Array.isArray(list)) return new Unresolved(argAt, 'Fn::Join takes [delimiter, [values...]]');
        return this.joinStrings(list, [...argAt, 1], sep);
      }
      case 'Fn::Select': {
        if (!Array.isArray(arg) || arg.length !== 2) return new Unresolved(argAt, 'Fn::Select takes [index, [values...]]');
        const index = this.node(arg[0], [...argAt, 0]);
        const list = this.node(arg[1], [...argAt, 1]);
        if (index instanceof Unresolved) return index;
        if (list instanceof Unresolved) return list;
        const i = Number(scalarText(index));
        if (!Array.isArray(list)) return new Unresolved([...argAt, 1], 'Fn::Select needs a list');
        if (!Number.isInteger(i) || i < 0 || i >= list.length) return new Unresolved([...argAt, 0], `Fn::Select index ${scalarText(index)} is outside the list of ${list.length} value(s)`);
        return list[i];
      }
      case 'Fn::Split': {
        if (!Array.isArray(arg) || arg.length !== 2) return new Unresolved(argAt, 'Fn::Split takes [delimiter, text]');
        const sep = this.node(arg[0], [...argAt, 0]);
        const text = this.node(arg[1], [...argAt, 1]);
        if (sep instanceof Unresolved) return sep;
        if (text instanceof Unresolved) return text;
        if (typeof sep !== 'string' || typeof text !== 'string') return new Unresolved(argAt, 'Fn::Split takes [delimiter, text]');
        const out = text.split(sep);
        this.origins.set(out, argAt);
        return out;
      }
      case 'Fn::FindInMap':
        return this.findInMap(arg, argAt);
      case 'Fn::If': {
        if (!Array.isArray(arg) || arg.length !== 3 || typeof arg[0] !== 'string') return new Unresolved(argAt, 'Fn::If takes [condition name, value if true, value if false]');
        const c = this.condition(arg[0], [...argAt, 0]);
        if (c instanceof Unresolved) return c;
        return this.node(arg[c ? 1 : 2], [...argAt, c ? 1 : 2]);
      }
      case 'Fn::Base64': {
        const text = this.node(arg, argAt);
        if (text instanceof Unresolved) return text;
        return Buffer.from(scalarText(text), 'utf8').toString('base64');
      }
      case 'Fn::Length': {
        const list = this.node(arg, argAt);
        if (list instanceof Unresolved) return list;
        return Array.isArray(list) ? list.length : new Unresolved(argAt, 'Fn::Length needs a list');
      }
      case 'Fn::ToJsonString': {
        const value = this.node(arg, argAt);
        const inner = firstUnresolved(value);
        return inner ?? JSON.stringify(value);
      }
      case 'Fn::GetAtt': {
        const name = Array.isArray(arg) ? arg.map(scalarText).join('.') : scalarText(arg);
        return new Unresolved(argAt, `Fn::GetAtt ${name} is known only once the stack is deployed`);
      }
      case 'Fn::ImportValue':
        return new Unresolved(argAt, 'Fn::ImportValue reads another stack\'s export, which needs an AWS account');
      default:
        return new Unresolved(argAt, `${fn} cannot be evaluated without an AWS account`);
    }
  }

  private ref(name: string, at: FieldPath): unknown {
    if (name === 'AWS::NoValue') return NO_VALUE;
    const p = this.parameters.lookup(name);
    if (p.kind === 'value') {
      if (typeof p.value === 'string') return p.value;
      const list = [...p.value];
      this.origins.set(list, at);
      return list;
    }
    if (p.kind === 'missing') return new Unresolved(at, p.message);
    if (isObject(this.template.Resources) && name in this.template.Resources) {
      return new Unresolved(at, `Ref ${name}: the physical id of resource ${name} is known only once the stack is deployed`);
    }
    return new Unresolved(at, `Ref ${name}: the template has no parameter or resource ${name}; declare it under Parameters and give it with --parameter ${name}=<value>`);
  }

  private sub(arg: unknown, at: FieldPath): unknown {
    const [text, vars] = Array.isArray(arg) ? [arg[0], arg[1] ?? {}] : [arg, {}];
    const textAt = Array.isArray(arg) ? [...at, 0] : at;
    if (typeof text !== 'string' || !isObject(vars)) return new Unresolved(at, 'Fn::Sub takes a string, or [string, {variable: value}]');
    let failed: Unresolved | undefined;
    // `${!Name}` is the literal text `${Name}`; `${Name}` a variable, a parameter, a pseudo parameter or `${Res.Attr}`.
    const out = text.replace(/\$\{([^}]*)\}/g, (whole: string, name: string) => {
      if (failed) return whole;
      if (name.startsWith('!')) return `\${${name.slice(1)}}`;
      let v: unknown;
      if (name in vars) v = this.node(vars[name], [...at, 1, name]);
      else if (name.includes('.') && !name.startsWith('AWS::')) v = new Unresolved(textAt, `\${${name}} (Fn::GetAtt ${name}) is known only once the stack is deployed`);
      else {
        v = this.ref(name, textAt);
        if (v instanceof Unresolved) v = new Unresolved(textAt, `\${${name}}: ${v.message.replace(/^Ref [^:]*: /, '')}`);
      }
      if (v instanceof Unresolved) {
        failed = v;
        return whole;
      }
      if (typeof v !== 'string' && typeof v !== 'number' && typeof v !== 'boolean') {
        failed = new Unresolved(textAt, `\${${name}} is not a string (a list cannot be substituted; Fn::Join it first)`);
        return whole;
      }
      return String(v);
    });
    return failed ?? out;
  }

  private findInMap(arg: unknown, at: FieldPath): unknown {
    if (!Array.isArray(arg) || arg.length < 3) return new Unresolved(at, 'Fn::FindInMap takes [MapName, TopLevelKey, SecondLevelKey]');
    const keys = arg.slice(0, 3).map((k, i) => this.node(k, [...at, i]));
    const bad = keys.find((k) => k instanceof Unresolved);
    if (bad) return bad;
    const [map, top, second] = keys.map(scalarText);
    const mappings = this.template.Mappings;
    const found = isObject(mappings) ? mappings[map]?.[top]?.[second] : undefined;
    if (found === undefined) {
      // The language extensions' fourth argument: {DefaultValue: x} when the keys are not in the map.
      const fallback = isObject(arg[3]) && 'DefaultValue' in arg[3] ? arg[3] : undefined;
      if (fallback) return this.node(fallback.DefaultValue, [...at, 3, 'DefaultValue']);
      const what = !isObject(mappings) || mappings[map] === undefined ? `the template has no mapping ${map}` : mappings[map][top] === undefined ? `mapping ${map} has no key ${top}` : `mapping ${map}.${top} has no key ${second}`;
      return new Unresolved(at, `Fn::FindInMap [${map}, ${top}, ${second}]: ${what}`);
    }
    return this.node(found, ['Mappings', map, top, second]);
  }

  private joinStrings(list: unknown[], at: FieldPath, sep: string): unknown {
    const parts: string[] = [];
    for (const [i, p] of list.entries()) {
      if (p instanceof Unresolved) return p;
      if (typeof p !== 'string' && typeof p !== 'number' && typeof p !== 'boolean') return new Unresolved([...at, i], 'Fn::Join joins strings only');
      parts.push(String(p));
    }
    return parts.join(sep);
  }

  private conditionValue(v: unknown, at: FieldPath): boolean | Unresolved {
    if (typeof v === 'boolean') return v;
    if (!isObject(v) || Object.keys(v).length !== 1) return new Unresolved(at, 'a condition is Fn::Equals, Fn::And, Fn::Or, Fn::Not or Condition');
    const [fn] = Object.keys(v);
    const arg = v[fn];
    const argAt = [...at, fn];
    if (fn === 'Condition') return typeof arg === 'string' ? this.condition(arg, argAt) : new Unresolved(argAt, 'Condition takes a condition name');
    if (fn === 'Fn::Equals') {
      if (!Array.isArray(arg) || arg.length !== 2) return new Unresolved(argAt, 'Fn::Equals takes [value, value]');
      const [a, b] = arg.map((x, i) => this.node(x, [...argAt, i]));
      const bad = [a, b].map(firstUnresolved).find((x) => x !== undefined);
      if (bad) return bad;
      return JSON.stringify(canonical(a)) === JSON.stringify(canonical(b));
    }
    if (fn === 'Fn::Not' || fn === 'Fn::And' || fn === 'Fn::Or') {
      if (!Array.isArray(arg) || arg.length === 0) return new Unresolved(argAt, `${fn} takes a list of conditions`);
      const values = arg.map((x, i) => this.conditionValue(x, [...argAt, i]));
      // An operand that decides the result makes the others irrelevant, as in CloudFormation.
      if (fn === 'Fn::And' && values.includes(false)) return false;
      if (fn === 'Fn::Or' && values.includes(true)) return true;
      const bad = values.find((x) => x instanceof Unresolved);
      if (bad) return bad;
      if (fn === 'Fn::Not') return !values[0];
      return fn === 'Fn::And';
    }
    return new Unresolved(argAt, `${fn} is not a condition function (Fn::Equals, Fn::And, Fn::Or, Fn::Not, Condition)`);
  }
}

/** The first Unresolved inside a resolved value, if any. */
export function firstUnresolved(v: unknown): Unresolved | undefined {
  if (v instanceof Unresolved) return v;
  if (Array.isArray(v)) {
    for (const x of v) {
      const u = firstUnresolved(x);
      if (u) return u;
    }
  } else if (isObject(v)) {
    for (const x of Object.values(v)) {
      const u = firstUnresolved(x);
      if (u) return u;
    }
  }
  return undefined;
}

/** CloudFormation compares condition operands as text: `true` and `'true'` are equal. */
function canonical(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(canonical);
  if (isObject(v)) return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, canonical(x)]));
  return scalarText(v);
}
/* eslint-enable @typescript-eslint/no-explicit-any */
