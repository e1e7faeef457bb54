/**
 * A Terraform (HCL native syntax) file parsed with positions, and the evaluation of its expressions as far as
 * that is possible without running Terraform: literals, templates and heredocs, `var.*` (from `--var`,
 * `--var-file` .tfvars files and defaults), `local.*`, `path.module`, tuples and objects, the operators, the
 * conditional, and the functions a KDA resource is usually written with (file, trimspace, join, format...).
 * What only `terraform apply` knows (another resource's attributes, data sources) is an HclUnresolved: harmless
 * where the application does not need it (an ARN), an error at its line and column where it does.
 * The parser is the HCL grammar of codemirror-lang-hcl (a Lezer LR parser: a full syntax tree with offsets).
 */
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { hclLanguage } from 'codemirror-lang-hcl';
import { ConfigError } from '../../errors.js';

type Tree = ReturnType<typeof hclLanguage.parser.parse>;
export type HclNode = Tree['topNode'];

/** A value only `terraform apply` (or an absent variable) could give, found at `offset` of the file. */
export class HclUnresolved {
  constructor(
    readonly offset: number,
    readonly message: string,
  ) {}
}

export type HclValue = string | number | boolean | null | HclValue[] | { [k: string]: HclValue } | HclUnresolved;

const PUNCTUATION = new Set(['(', ')', '[', ']', '{', '}', 'Comma', 'AssignOp', 'Colon', 'DerefOp']);

export class HclDocument {
  readonly tree: Tree;
  private readonly lineStarts: number[] = [0];

  constructor(
    readonly file: string,
    readonly text: string,
  ) {
    for (let i = 0; i < text.length; i++) if (text[i] === '\n') this.lineStarts.push(i + 1);
    this.tree = hclLanguage.parser.parse(text);
    let bad: number | undefined;
    this.tree.iterate({
      enter: (n) => {
        if (bad !== undefined) return false;
        if (n.type.isError) bad = n.from;
        return undefined;
      },
    });
    if (bad !== undefined) {
      const near = text.slice(bad, bad + 20).split('\n')[0];
      throw this.error(bad, '(file)', `not valid HCL${near ? ` near '${near}'` : ''}`);
    }
  }

  static read(file: string): HclDocument {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (e) {
      throw new ConfigError('(file)', `cannot read ${file}: ${(e as Error).message}`, { location: { file } });
    }
    return new HclDocument(file, text);
  }

  position(offset: number): { line: number; column: number } {
    let lo = 0;
    let hi = this.lineStarts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.lineStarts[mid] <= offset) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo + 1, column: offset - this.lineStarts[lo] + 1 };
  }

  error(offset: number, field: string, message: string): ConfigError {
    return new ConfigError(field, message, { location: { file: this.file, ...this.position(offset) } });
  }

  /** The top-level blocks of the file: `resource "type" "name" {...}`, `variable "x" {...}`, `locals {...}`. */
  blocks(body: HclNode = this.body(this.tree.topNode)): HclBlock[] {
    return children(body, 'Block').map((b) => this.block(b));
  }

  attributes(body: HclNode): Map<string, HclNode> {
    const out = new Map<string, HclNode>();
    for (const a of children(body, 'Attribute')) out.set(this.text.slice(a.firstChild!.from, a.firstChild!.to), a);
    return out;
  }

  private body(node: HclNode): HclNode {
    return node.name === 'ConfigFile' ? (node.getChild('Body') ?? node) : node;
  }

  private block(b: HclNode): HclBlock {
    const type = b.getChild('BlockType')!;
    const labels = children(b, 'BlockLabel').map((l) => this.stringLiteral(l));
    const body = b.getChild('Body');
    return { type: this.text.slice(type.from, type.to), labels, node: b, body, at: type.from };
  }

  /** A block label or object key written as a plain string or identifier. */
  stringLiteral(node: HclNode): string {
    const lit = findDescendant(node, 'TemplateLiteral');
    if (lit) return unescapeQuoted(this.text.slice(lit.from, lit.to));
    return this.text.slice(node.from, node.to).replace(/^"|"$/g, '');
  }

  slice(node: HclNode): string {
    return this.text.slice(node.from, node.to);
  }
}

export interface HclBlock {
  readonly type: string;
  readonly labels: string[];
  readonly node: HclNode;
  readonly body: HclNode | null;
  /** Offset of the block's first character, for errors about the block as a whole. */
  readonly at: number;
}

export function children(node: HclNode, name: string): HclNode[] {
  const out: HclNode[] = [];
  for (let c = node.firstChild; c; c = c.nextSibling) if (c.name === name) out.push(c);
  return out;
}

function allChildren(node: HclNode): HclNode[] {
  const out: HclNode[] = [];
  for (let c = node.firstChild; c; c = c.nextSibling) out.push(c);
  return out;
}

function findDescendant(node: HclNode, name: string): HclNode | null {
  for (let c = node.firstChild; c; c = c.nextSibling) {
    if (c.name === name) return c;
    const d = findDescendant(c, name);
    if (d) return d;
  }
  return null;
}

/** A quoted template's literal text with HCL's escapes decoded (`\n`, `\"`, `\u00e9`, `$${` and `%%{`). */
function unescapeQuoted(raw: string): string {
  return raw
    .replace(/\\(u[0-9a-fA-F]{4}|U[0-9a-fA-F]{8}|.)/g, (_m, e: string) => {
      if (e[0] === 'u' || e[0] === 'U') return String.fromCodePoint(parseInt(e.slice(1), 16));
      return ({ n: '\n', r: '\r', t: '\t', '"': '"', '\\': '\\' } as Record<string, string>)[e] ?? `\\${e}`;
    })
    .replace(/\$\$\{/g, '${')
    .replace(/%%\{/g, '%{');
}

/** The scope an expression is evaluated in. */
export interface HclScope {
  readonly variable: (name: string, at: number) => HclValue;
  readonly local: (name: string, at: number) => HclValue;
  /** The folder of the .tf file: `path.module`, and where `file()` paths are read from. */
  readonly moduleDir: string;
}

export class HclEvaluator {
  constructor(
    private readonly doc: HclDocument,
    private readonly scope: HclScope,
  ) {}

  evaluate(node: HclNode): HclValue {
    switch (node.name) {
      case 'Expression':
        return this.sequence(allChildren(node));
      case 'LiteralValue':
      case 'CollectionValue':
      case 'Operation':
        return this.evaluate(node.firstChild!);
      case 'NumericLit':
        return Number(this.doc.slice(node));
      case 'BoolLit':
        return this.doc.slice(node) === 'true';
      case 'NullLit':
        return null;
      case 'StringLit':
      case 'TemplateExpr':
      case 'QuotedTemplate':
      case 'HeredocTemplate':
        return this.template(node);
      case 'Tuple':
        return children(node, 'Expression').map((e) => this.evaluate(e));
      case 'Object': {
        const out: Record<string, HclValue> = {};
        for (const el of children(node, 'ObjectElem')) {
          const keyNode = el.getChild('ObjectKey')!;
          const keyExpr = keyNode.getChild('Expression');
          // `{ k = 1 }`: a bare identifier key is its name, not a variable.
          const bare = keyExpr?.firstChild?.name === 'VariableExpr' && keyExpr.firstChild.nextSibling === null;
          const key = bare ? this.doc.slice(keyExpr!) : keyExpr ? this.evaluate(keyExpr) : this.doc.stringLiteral(keyNode);
          if (key instanceof HclUnresolved) return key;
          const value = children(el, 'Expression');
          out[String(key)] = this.evaluate(value[value.length - 1]);
        }
        return out;
      }
      case 'FunctionCall':
        return this.call(node);
      case 'Conditional': {
        const [c, a, b] = children(node, 'Expression');
        const cond = this.evaluate(c);
        if (cond instanceof HclUnresolved) return cond;
        return this.evaluate(cond === true || cond === 'true' ? a : b);
      }
      case 'UnaryOperation': {
        const parts = allChildren(node);
        const v = this.sequence(parts.slice(1));
        if (v instanceof HclUnresolved) return v;
        return this.doc.slice(parts[0]) === '!' ? !(v === true || v === 'true') : -Number(v);
      }
      case 'BinaryOperation':
        return this.binary(node);
      default:
        return new HclUnresolved(node.from, `${this.doc.slice(node).slice(0, 40)}: this expression (${node.name}) is not evaluated here`);
    }
  }

  /** A primary expression followed by its traversals (`var.a.b[0]`), or a parenthesised expression. */
  private sequence(parts: HclNode[]): HclValue {
    const items = parts.filter((p) => !PUNCTUATION.has(p.name) || p.name === '(');
    if (items[0]?.name === '(') return this.evaluate(parts.find((p) => p.name === 'Expression')!);
    const [head, ...steps] = items;
    if (!head) return null;
    if (head.name === 'VariableExpr') return this.reference(head, steps);
    let v = this.evaluate(head);
    for (const s of steps) v = this.step(v, s);
    return v;
  }

  private reference(head: HclNode, steps: HclNode[]): HclValue {
    const root = this.doc.slice(head);
    const attr = (s: HclNode | undefined) => (s?.name === 'GetAttr' ? this.doc.slice(s.getChild('Identifier')!) : undefined);
    let v: HclValue;
    let rest = steps;
    if (root === 'var' || root === 'local') {
      const name = attr(steps[0]);
      if (name === undefined) return new HclUnresolved(head.from, `${root} must be followed by .<name>`);
      v = root === 'var' ? this.scope.variable(name, head.from) : this.scope.local(name, head.from);
      rest = steps.slice(1);
    } else if (root === 'path') {
      const name = attr(steps[0]);
      if (name !== 'module' && name !== 'root' && name !== 'cwd') return new HclUnresolved(head.from, `path.${name ?? ''} is not known here`);
      v = name === 'cwd' ? process.cwd() : this.scope.moduleDir;
      rest = steps.slice(1);
    } else if (steps.length === 0 && (root === 'true' || root === 'false' || root === 'null')) {
      return root === 'null' ? null : root === 'true';
    } else {
      const what = [root, ...steps.map((s) => this.doc.slice(s))].join('').slice(0, 60);
      return new HclUnresolved(head.from, `${what} is known only once Terraform has applied the configuration`);
    }
    for (const s of rest) v = this.step(v, s);
    return v;
  }

  private step(v: HclValue, s: HclNode): HclValue {
    if (v instanceof HclUnresolved) return v;
    if (s.name === 'GetAttr') {
      const name = this.doc.slice(s.getChild('Identifier')!);
      if (v !== null && typeof v === 'object' && !Array.isArray(v) && name in v) return v[name];
      return new HclUnresolved(s.from, `no attribute ${name} here`);
    }
    if (s.name === 'Index') {
      const e = findDescendant(s, 'Expression') ?? findDescendant(s, 'NumericLit');
      const key = e ? this.evaluate(e) : new HclUnresolved(s.from, 'an index is needed');
      if (key instanceof HclUnresolved) return key;
      if (Array.isArray(v) && typeof key === 'number' && key >= 0 && key < v.length) return v[key];
      if (v !== null && typeof v === 'object' && !Array.isArray(v) && String(key) in v) return v[String(key)];
      return new HclUnresolved(s.from, `index ${JSON.stringify(key)} is not in the value`);
    }
    return new HclUnresolved(s.from, `${this.doc.slice(s)}: splat expressions are not evaluated here`);
  }

  private template(node: HclNode): HclValue {
    const heredoc = node.name === 'HeredocTemplate' ? node : findDescendant(node, 'HeredocTemplate');
    const quoted = heredoc ? null : node.name === 'QuotedTemplate' ? node : (findDescendant(node, 'QuotedTemplate') ?? node);
    const container = heredoc ?? quoted!;
    let out = '';
    for (const part of allChildren(container)) {
      if (part.name === 'TemplateLiteral') {
        const raw = this.doc.slice(part);
        out += heredoc ? raw.replace(/\$\$\{/g, '${').replace(/%%\{/g, '%{') : unescapeQuoted(raw);
      } else if (part.name === 'TemplateInterpolation') {
        const v = this.evaluate(part.getChild('Expression')!);
        if (v instanceof HclUnresolved) return v;
        if (v !== null && typeof v === 'object') return new HclUnresolved(part.from, 'a list or object cannot be interpolated into a string');
        out += v === null ? '' : String(v);
      } else if (part.name === 'TemplateDirective' || part.name === 'TemplateFor' || part.name === 'TemplateIf') {
        return new HclUnresolved(part.from, 'template directives (%{ ... }) are not evaluated here');
      }
    }
    if (!heredoc) return out;
    return heredocText(out, this.doc.slice(heredoc.getChild('HeredocStart')!) === '<<-');
  }

  private binary(node: HclNode): HclValue {
    const parts = allChildren(node);
    const i = parts.findIndex((p) => p.name === 'ArithOp' || p.name === 'CompareOp' || p.name === 'LogicOp');
    const op = this.doc.slice(parts[i]);
    const a = this.sequence(parts.slice(0, i));
    const b = this.sequence(parts.slice(i + 1));
    if (a instanceof HclUnresolved) return a;
    if (b instanceof HclUnresolved) return b;
    const truthy = (x: HclValue) => x === true || x === 'true';
    switch (op) {
      case '==':
        return JSON.stringify(a) === JSON.stringify(b);
      case '!=':
        return JSON.stringify(a) !== JSON.stringify(b);
      case '&&':
        return truthy(a) && truthy(b);
      case '||':
        return truthy(a) || truthy(b);
      case '+':
        return Number(a) + Number(b);
      case '-':
        return Number(a) - Number(b);
      case '*':
        return Number(a) * Number(b);
      case '/':
        return Number(a) / Number(b);
      case '%':
        return Number(a) % Number(b);
      case '<':
        return Number(a) < Number(b);
      case '<=':
        return Number(a) <= Number(b);
      case '>':
        return Number(a) > Number(b);
      case '>=':
        return Number(a) >= Number(b);
      default:
        return new HclUnresolved(parts[i].from, `operator ${op} is not evaluated here`);
    }
  }

  private call(node: HclNode): HclValue {
    const name = this.doc.slice(node.getChild('FunctionName')!);
    const argsNode = node.getChild('FunctionArguments');
    const args = argsNode ? children(argsNode, 'Expression').map((e) => this.evaluate(e)) : [];
    const bad = args.find((a) => a instanceof HclUnresolved);
    if (bad) return bad;
    const text = (i: number) => (args[i] === null || args[i] === undefined ? '' : String(args[i]));
    switch (name) {
      case 'file': {
        const path = resolve(this.scope.moduleDir, text(0));
        try {
          return readFileSync(path, 'utf8');
        } catch (e) {
          return new HclUnresolved(node.from, `file(${JSON.stringify(text(0))}): cannot read ${path}: ${(e as Error).message}`);
        }
      }
      case 'trimspace':
        return text(0).trim();
      case 'lower':
        return text(0).toLowerCase();
      case 'upper':
        return text(0).toUpperCase();
      case 'tostring':
        return text(0);
      case 'tonumber':
        return Number(text(0));
      case 'replace':
        return text(0).split(text(1)).join(text(2));
      case 'join':
        return Array.isArray(args[1]) ? args[1].map((x) => String(x)).join(text(0)) : new HclUnresolved(node.from, 'join needs a list');
      case 'concat':
        return args.flatMap((a) => (Array.isArray(a) ? a : [a]));
      case 'element':
        return Array.isArray(args[0]) && args[0].length > 0 ? args[0][Number(args[1]) % args[0].length] : new HclUnresolved(node.from, 'element needs a non-empty list');
      case 'lookup': {
        const m = args[0];
        if (m !== null && typeof m === 'object' && !Array.isArray(m) && !(m instanceof HclUnresolved) && text(1) in m) return m[text(1)];
        return args.length > 2 ? args[2] : new HclUnresolved(node.from, `lookup: no key ${text(1)}`);
      }
      case 'coalesce':
        return args.find((a) => a !== null && a !== '') ?? null;
      case 'jsonencode':
        return JSON.stringify(args[0]);
      case 'format': {
        let k = 1;
        return text(0).replace(/%([sdv%])/g, (_m, f: string) => (f === '%' ? '%' : String(args[k++])));
      }
      default:
        return new HclUnresolved(node.from, `the function ${name}() is not evaluated here`);
    }
  }
}

/**
 * A heredoc's content: the lines between its markers, each with its newline; `<<-` removes the indentation
 * common to all of them (HCL's flush heredoc).
 */
export function heredocText(inner: string, flush: boolean): string {
  // The literal runs from the newline after the opening marker to just before the closing marker's newline.
  const body = inner.startsWith('\n') ? inner.slice(1) : inner.startsWith('\r\n') ? inner.slice(2) : inner;
  const lines = body.split('\n');
  if (!flush) return `${body}\n`;
  const indent = Math.min(...lines.filter((l) => l.trim() !== '').map((l) => l.length - l.trimStart().length));
  return `${lines.map((l) => l.slice(Number.isFinite(indent) ? Math.min(indent, l.length - l.trimStart().length) : 0)).join('\n')}\n`;
}

/** The common indentation of a flush heredoc (`<<-`), so that SQL positions map back to the file. */
export function heredocIndent(inner: string): number {
  const body = inner.startsWith('\n') ? inner.slice(1) : inner;
  const widths = body.split('\n').filter((l) => l.trim() !== '').map((l) => l.length - l.trimStart().length);
  return widths.length > 0 ? Math.min(...widths) : 0;
}

export function moduleDirOf(file: string): string {
  return dirname(resolve(file));
}
