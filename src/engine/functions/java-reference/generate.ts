/**
 * Regenerates java-reference-vectors.json: inputs built here (fixed seed), answers computed by the JDK through
 * JavaReference.java. Needs Java 17+ on the PATH (set JAVA to another binary; JAVA_DOUBLE for the
 * double/float vectors, e.g. a Java 19+ whose Double.toString prints the shortest digits).
 *
 *   node --import tsx src/engine/functions/java-reference/generate.ts
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { JavaVector } from './java-vector.js';
import { mulberry32 } from '../../../util/mulberry32.js';

const here = dirname(fileURLToPath(import.meta.url));

function runJava(java: string, inputs: readonly (readonly string[])[]): string[] {
  const tsv = inputs.map(([kind, ...args]) => [kind, ...args.map((a) => Buffer.from(a, 'utf8').toString('hex'))].join('\t')).join('\n') + '\n';
  const out = execFileSync(java, [join(here, 'JavaReference.java')], { input: tsv, encoding: 'utf8', maxBuffer: 64 << 20 });
  return JSON.parse(out) as string[];
}

/** Builds the inputs, asks the JDK, writes the fixture. */
function main(): void {
  const random = mulberry32(20261126);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)];
  const MIN_MS = -62135596800000; // 0001-01-01
  const MAX_MS = 253402300799999; // 9999-12-31 23:59:59.999

  // ---- date formats
  const FORMAT_PATTERNS = [
    'yyyy-MM-dd HH:mm:ss.SSS',
    'G y yy yyy yyyyy',
    'MMMM MMM MM M',
    'd dd D DDD F W w ww',
    'EEE EEEE u',
    'a H HH k kk K KK h hh',
    'm mm s ss S SS SSS SSSS',
    'YYYY Y YY w',
    'z zzzz Z X XX XXX',
    "'quoted''s' yyyy''MM",
    'yyyyMMddHHmmss',
  ];
  const formatInputs: string[][] = [];
  for (let i = 0; i < 300; i++) {
    const ms = i % 3 ? MIN_MS + Math.floor(random() * (MAX_MS - MIN_MS)) : Math.floor((random() - 0.2) * 2e12);
    formatInputs.push(['format', pick(FORMAT_PATTERNS), String(ms)]);
  }
  for (let y = 1998; y < 2030; y++) {
    for (const [m, d] of [[12, 28], [12, 31], [1, 1], [1, 2], [1, 4], [1, 7]]) {
      formatInputs.push(['format', 'YYYY w W F u D', String(Date.UTC(y, m - 1, d))]);
    }
  }

  // ---- date parsing: documented templates, edge cases, then mutated renderings of random instants
  const PARSE_CASES: [string, string][] = [
    ['yyyy', '09-16 03:15'], ['yyyy', '16 03:15'], ['yyyy-MM-dd hh:mm:ss', '2009-09-16 03:15:24'],
    ['yyyy-mm', '2011-02-08 07:23:19'], ['MMM dd, yyyy', 'March 7, 2010'], ['MMM dd,', 'March 7, 2010'],
    ['MMM dd,y', 'March 7, 2010'], ['M-d', '2-8'], ['M-d', '2-8-2011'], ['M-d', '2011-2-8'],
    ['MM-dd-yyyy', '06-23-2011 10:11:12'], ['dd-MM-yy hh:mm:ss', '23-06-11 10:11:12'],
    ['MM-dd-yy ss:hh:mm', '06-23-11 12:10:11'], ['yy-dd-MM ss:hh:mm', '06-23-11 12:10:11'],
    ['MM/dd/yy hh:mm:ss', '09/16/11 03:15:24'], ['MM/dd/yy hh:mm:ss', '2009/09/16 03:15:24'],
    ['MM/dd/yy hh:mm:ss', '12/01/10 11:30:00'], ['yy', '45'], ['yy', '46'], ['yy', '2011'], ['yy', '5'],
    ['y', '5'], ['MM/dd/yyyy', '01/11/12'], ['yyyyMMdd', '20110916'], ['yyyyMMddHHmmss', '20110916031524'],
    ['HHmm', '0930'], ['HHmm', '930'], ['hh:mm a', '03:15 PM'], ['hh:mm a', '12:15 am'], ['hh:mm', '12:15'],
    ['HH:mm:ss.SSS', '23:59:58.250'], ['HH:mm:ss.SSS', '23:59:58.25'], ['HH:mm:ss.SSS', '23:59:58.2500'],
    ['HH:mm:ss.S', '23:59:58.5'], ['kk', '24'], ['EEE, d MMM yyyy', 'Wed, 4 Jul 2001'],
    ['EEE, d MMM yyyy', 'Thu, 4 Jul 2001'], ['EEE, d MMM yyyy', 'Wednesday, 4 Jul 2001'], ['hh', '13'], ['HH', '24'],
    ['yyyy-MM-dd HH:mm Z', '2001-07-04 12:08 -0700'], ['yyyy-MM-dd HH:mm z', '2001-07-04 12:08 PDT'],
    ['yyyy-MM-dd HH:mm z', '2001-07-04 12:08 GMT+02:00'], ["yyyy-MM-dd'T'HH:mm:ssX", '2001-07-04T12:08:56Z'],
    ["yyyy-MM-dd'T'HH:mm:ssX", '2001-07-04T12:08:56+0130'], ["yyyy-MM-dd'T'HH:mm:ssXXX", '2001-07-04T12:08:56+01:30'],
    ["yyyy.MM.dd 'at' HH", '2001.07.04 at 12'], ['yyyy-MM-dd', '2011-02'], ['yyyy-MM-dd', '2011-02-30'],
    ['yyyy-MM-dd', '2012-02-29'], ['yyyy-MM-dd', ' 2012-02-29'], ['yyyy-MM-dd', '2012- 02-29'], ['yyyy-MM-dd', '2012 -02-29'],
    ['yyyy DDD', '2004 061'], ['yyyy-MM-dd', '0000-01-01'], ['MMM', 'mar'], ['MMM', 'MARCH'], ['MM', 'Mar'],
    ['MMMM yyyy', 'Sept 2004'], ['MMMMM yyyy', 'Sep 2004'], ['d/M/yyyy', '7/3/2010'], ['dd/MM/yyyy', '7/3/2010'],
    ['yyyy-MM-dd HH:mm:ss', '2010-03-07 24:00:00'], ['yyyy-MM-dd HH:mm:ss', '2010-03-07 23:60:00'],
    ['yyyy-MM-dd HH:mm:ss', '2010-03-07\t23:59:00'], ['a h', 'PM 3'], ['h a', '3PM'],
    ["yyyy-MM-dd'T'HH:mm:ss.SSS", '2018-05-09T12:50:41.337'], ['yyyy-MM-dd HH:mm:ss', '2018-05-09 12:50:41.337'],
    ['yyyy G', '2004 AD'], ['yyyy G', '2004 BC'], ['HH:mm:ss z', '12:00:00 UTC'],
    ['HH:mm:ss zzzz', '12:00:00 Coordinated Universal Time'], ['HH:mm:ss Z', '12:00:00 +05'],
    ['yyyy-MM-dd HH', '2010-03-07 -1'], ['yyyyMMdd', '2011091'], ['yyyyMMdd', '201109161'], ['yyMMdd', '110916'],
    ['yyyy/MM/dd', '2011/9/16'], ['K:mm a', '0:08 PM'], ['K:mm a', '12:08 PM'],
  ];
  const PARSE_PATTERNS = [
    'yyyy-MM-dd HH:mm:ss.SSS', 'yyyyMMddHHmmss', 'dd MMMM yyyy hh:mm:ss a', 'EEE, d MMM yyyy HH:mm:ss Z',
    "yyyy-MM-dd'T'HH:mm:ss.SSSXXX", 'MM/dd/yy kk:mm', 'MMM d, yyyy h:mm a', 'yyyy-MM-dd', 'HH:mm:ss', 'yyMMddHHmm',
    'EEEE, MMMM d, yyyy G', 'd-M-y H:m:s', "yyyy.DDD 'day' K a", 'yyyy-MM-dd HH:mm:ss z',
  ];
  const rendered = Array.from({ length: 500 }, () => {
    const pattern = pick(PARSE_PATTERNS);
    const ms = Math.floor(random() * 4e12) - 5e11;
    return [pattern, String(ms)];
  });
  const java = process.env.JAVA ?? 'java';
  const renderedText = runJava(java, rendered.map(([p, ms]) => ['format', p, ms]));
  function mutate(text: string): string {
    const i = Math.floor(random() * text.length);
    switch (Math.floor(random() * 5)) {
      case 0:
        return text.slice(0, i) + text.slice(i + 1); // drop a character
      case 1:
        return text.slice(0, i) + pick(['9', '0', 'x', ' ', '-', '13', '99']) + text.slice(i + 1); // replace one
      case 2:
        return text.slice(0, i) + ' ' + text.slice(i); // insert a blank
      case 3:
        return text + pick([' trailing', '!', '0', ' 12']); // trailing text
      default:
        return text.slice(0, i); // cut short
    }
  }
  // Random templates: each field at most once, one hour style, day names of 3+ letters, no week fields (their
  // calendar resolution is not modelled) and no lone 'y' (the SQLREF reads it differently from Java).
  const FIELDS = ['yyyy', 'yy', 'M', 'MM', 'MMM', 'MMMM', 'd', 'dd', 'H', 'HH', 'h', 'hh', 'k', 'K', 'm', 'mm', 's', 'ss', 'S',
    'SSS', 'a', 'EEE', 'EEEE', 'G', 'z', 'zzzz', 'Z', 'X', 'XX', 'XXX'];
  const SEPARATORS = ['-', ' ', ':', '/', '.', ', ', '', "'T'", "'at'"];
  const randomTemplate = (): string => {
    const used = new Set<string>();
    let p = '';
    for (let n = 1 + Math.floor(random() * 6); n > 0; n--) {
      const f = pick(FIELDS);
      const key = 'Hk'.includes(f[0]) ? 'H' : 'hK'.includes(f[0]) ? 'h' : f[0];
      if (used.has(key) || (key === 'H' && used.has('h')) || (key === 'h' && used.has('H'))) continue;
      used.add(key);
      p += f + pick(SEPARATORS);
    }
    return p;
  };
  const randomTemplates = Array.from({ length: 300 }, () => [randomTemplate(), String(Math.floor(random() * 4e12) - 1e12)]);
  const randomRendered = runJava(java, randomTemplates.map(([p, ms]) => ['format', p, ms]));
  formatInputs.push(...randomTemplates.map(([p, ms]) => ['format', p, ms]));
  const parseInputs: string[][] = [
    ...randomTemplates.map(([p], i) => ['parse', p, randomRendered[i]]),
    ...randomTemplates.map(([p], i) => ['parse', p, mutate(randomRendered[i])]),
    ...PARSE_CASES.map(([p, t]) => ['parse', p, t]),
    ...rendered.map(([p], i) => ['parse', p, renderedText[i]]),
    ...rendered.map(([p], i) => ['parse', p, mutate(renderedText[i])]),
    ...rendered.map(([p], i) => ['parse', p, mutate(mutate(renderedText[i]))]),
  ];

  // ---- regular expressions
  const REPLACE_CASES: [string, string, string][] = [
    ['TECHNOLOGY', 'TECHNOLOGY', 'INFORMATION TECHNOLOGY'], ['-', 'a-b-c', '+'], ['(\\d+)-(\\d+)-(\\d+)', '2020-01-31', '$3/$2/$1'],
    ['x*', 'abc', '-'], ['b*', 'abc', '-'], ['(b)', 'abc', '$10'], ['(x)?b', 'abc', '[$1]'], ['b', 'abc', '\\$1'],
    ['(?<y>\\d+)-(?<m>\\d+)', '2020-01', '${m}/${y}'], ['a*+a', 'aaa', 'X'], ['(?>a|ab)c', 'abc abc', 'X'],
    ['(?i)abc', 'xABCx aBc', '-'], ['a(?i)b', 'ab aB AB Ab', '-'], ['\\s+', 'a \u00a0 b\tc\u000bd', '_'],
    ['.', 'a\u0085b\nc', 'x'], ['$', 'abc\n', 'X'], ['^', 'abc\ndef', 'X'], ['(?m)^', 'abc\ndef\n', 'X'],
    ['(?m)$', 'abc\ndef\n', 'X'], ['(?m)$', 'abc\r\ndef\r\n', 'X'], ['(?m)^', 'abc\r\ndef\r\n', 'X'],
    ['\\Z', 'abc\n', 'X'], ['\\z', 'abc\n', 'X'], ['\\p{Punct}', 'a.b,c!d', ''], ['\\p{Alpha}+', 'héllo wörld', 'W'],
    ['\\p{L}+', 'héllo wörld', 'W'], ['\\p{IsLatin}+', 'héllo λ', 'W'], ['[a-z&&[^aeiou]]', 'hello world', '*'],
    ['[a-d[m-p]]', 'abcmnoxyz', '*'], ['\\Qa.b\\E', 'a.b axb', 'X'], ['\\bfoo\\b', 'foo food foo', 'X'],
    ['(a)(b)?', 'ab a', '[$2]'], ['\\d{2,3}', '1 12 123 1234', 'N'], ['(\\w+)@(\\w+)\\.com', 'joe@example.com', '$2:$1'],
    ['(?x) a  b # comment\n c', 'abc', 'X'], ['\\R', 'a\r\nb\nc\rd', '|'], ['\\h', 'a b\tc\u00a0d', '_'],
    ['[^\\S]', 'a b', '_'], ['(a|b)*c', 'ababc', '<$1>'], ['(?s).+', 'a\nb', 'X'], ['[\\p{Lu}]', 'aBcD', '_'],
    ['\\x41\\u0042', 'AB', 'ok'], ['\\0101', 'A', 'ok'], ['a{2}', 'aaaaa', 'X'], ['a{2,}?', 'aaaaa', 'X'],
    ['(?<!a)b', 'ab cb', 'X'], ['(?<=a)b', 'ab cb', 'X'], ['(?=c)', 'abcabc', '^'], ['\\.', 'a.b.c', '\\\\'],
    ['(.)\\1', 'aabbcd', '<$1>'], ['[\\w&&[^\\d]]+', 'ab12cd', '_'], ['\\p{javaLowerCase}', 'aBcÉé', '_'],
    ['[]a]', ']a', 'X'], ['[^]a]', ']ab', 'X'], ['\\e', '\u001b', 'ESC'], ['(', 'x', 'y'], ['a{', 'x', 'y'],
    ['b', 'abc', '$2'], ['b', 'abc', 'x$'], ['b', 'abc', 'x\\'], ['a|', 'abc', 'X'], ['[a-]+', 'a-b', 'X'],
    ['[\\-z]+', 'a-z', 'X'], ['\\p{Upper}\\p{Lower}*', 'Hello World', 'W'], ['\\P{Alnum}', 'a-b c', '_'],
    ['(?i)[a-c]+', 'xAbCd', '_'], ['x(?i:[a-c]+)y', 'xAbCy xAbCY', '_'], ['\\uD83D\\uDE00', 'a\u{1F600}b', '_'],
    ['.', '\u{1F600}', '_'], ['[\u{1F600}]', '\u{1F600}x', '_'], ['\\w+?', 'abc', '<$0>'], ['(a)?(?(1)b|c)', 'ab', 'X'],
    ['a{,3}', 'aaa', 'X'], ['}', 'a}b', 'X'], [']', 'a]b', 'X'], ['\\/', 'a/b', 'X'], ['(?<name>a)\\k<name>', 'aab', 'X'],
    ['\\cJ', 'a\nb', 'X'], ['[\\t]', 'a\tb', 'X'], ['\\v', 'a\u000bb\nc', 'X'], ['(?d).', 'a\rb\nc', 'X'],
    ['(?d)$', 'abc\r\n', 'X'],
  ];
  const FIND_CASES: [string, string][] = [
    ['L[A-Z]*', 'TECHNOLOGY'], ['O[A-Z]', 'TECHNOLOGY'], ['FOO', 'TECHNOLOGY'], ['(a)|(b)', 'b'], ['(a)\\11', 'aa1'],
    ['(?i)straße', 'STRASSE'], ['é', 'É'], ['(?iu)é', 'É'], ['\\w+', 'naïve'], ['\\d+', '٣٤5'], ['[[:alpha:]]+', 'ab:c'],
    ['a++b', 'aaab'], ['(?:a|b)++c', 'ababc'], ['x*+', 'xxx'], ['^\\s*(\\S+)\\s*$', '  word  '],
    ['(\\d+)(?:px|em)', 'width: 12em'], ['(?<=\\$)\\d+', 'cost $45'], ['([a-z]+)\\s+\\1', 'the the cat'],
    ['\\b\\w', '  hi'], ['\\Bi', 'hi'], ['\\Ahi', 'hi'], ['\\Ahi', 'x\nhi'], ['(?m)^hi', 'x\nhi'],
  ];
  // Random patterns from Java-specific pieces. Groups that can match nothing are left out: inside * and + Java
  // and JavaScript disagree on them (see the README), and REGEX_REPLACE returns '' for '' (startPosition 1 > 0).
  const ATOMS = ['a', 'b', 'c', '.', '\\d', '\\D', '\\w', '\\W', '\\s', '\\S', '[abc]', '[^a]', '[a-c&&[^b]]', '[a[xy]]',
    '[^a[b]]', '\\p{Lower}', '\\p{Upper}', '\\p{Punct}', '\\p{L}', '\\P{L}', '\\p{IsAlphabetic}', '\\p{Lu}', 'x', '-', '\\.',
    '(a|b)', '(?:ab)', '(?>a|ab)', '(?i:a)', '(?-i:a)', '\\Qa.\\E', '[\\d&&[^5]]', '\\h', '\\H', '\\v', '\\R', '$', '^',
    '\\b', '\\B', '\\A', '\\Z', '\\z', '(?=a)', '(?!b)', '(?<=a)', '(?<!b)', '(\\w)\\1', '(?<n>[ab])\\k<n>', '\\x61',
    '\\u00e9', '\\0141', '\\t', '[é-ë]', '[\\p{L}&&[^a-z]]', '[.]', '[$^]', '\\$', '(a)|(b)', '[\\s\\d]', '[^\\s]', 'é',
    'É', 'ß'];
  const QUANTIFIERS = ['', '', '', '', '*', '+', '?', '{2}', '{1,2}', '{0,}', '*?', '+?', '??', '*+', '++', '?+', '{1,2}+', '{2}?'];
  const TEXTS = ['abc', 'aab', 'a.b', 'ABC aBc', 'x-y', 'a\nb', 'ab\n', '12 345', 'a\u0085b', 'ééa', 'b', 'aaa', 'a b\tc',
    'ab ab', 'A1_b2!', 'Éé ß SS', 'a\r\nb', '$^.', 'caB', 'aé1', 'xa xab xb'];
  const fuzzInputs: string[][] = [];
  for (let i = 0; i < 700; i++) {
    let r = Array.from({ length: 1 + Math.floor(random() * 5) }, () => pick(ATOMS) + pick(QUANTIFIERS)).join('');
    if (random() < 0.2) r = '(?i)' + r;
    if (random() < 0.1) r = '(?m)' + r;
    if (random() < 0.1) r = '(?s)' + r;
    if (random() < 0.1) r = '(?x) ' + r.replaceAll('a', 'a ');
    const text = pick(TEXTS);
    fuzzInputs.push(['find', r, text], ['replace', r, text, pick(['<$0>', '[$1]', '-', '\\$'])]);
  }
  const regexInputs: string[][] = [
    ...REPLACE_CASES.map(([r, s, t]) => ['replace', r, s, t]),
    ...FIND_CASES.map(([r, s]) => ['find', r, s]),
    ...fuzzInputs,
  ];

  // ---- floating-point text
  const numbers = ['0.1', '0.2', '0.30000000000000004', '1e7', '9999999', '1e-3', '9.999e-4', '1e21', '1e22', '123456789.123',
    '2e23', '5e-324', '1.7976931348623157e308', '-2.5', '100', '0.5', '3.14159', '1.0E-5', '12345678.9', '4.35'];
  for (let i = 0; i < 200; i++) numbers.push(String((random() * 10) * 10 ** Math.floor(random() * 60 - 30)));
  // Float inputs are written as the double that is exactly the float, so Java's parseFloat and Math.fround agree.
  const floatInputs = numbers.map((n) => ['double', n]).concat(numbers.slice(0, 120).map((n) => ['float', String(Math.fround(Number(n)))]));

  const dateAndRegex = [...formatInputs, ...parseInputs, ...regexInputs];
  const answers = runJava(java, dateAndRegex);
  const floatAnswers = runJava(process.env.JAVA_DOUBLE ?? java, floatInputs);
  const vectors: JavaVector[] = [...dateAndRegex, ...floatInputs].map(([kind, ...args], i) => ({
    kind: kind as JavaVector['kind'],
    args,
    java: i < answers.length ? answers[i] : floatAnswers[i - answers.length],
  }));
  const versionOf = (bin: string) => spawnSync(bin, ['-version'], { encoding: 'utf8' }).stderr.split('\n')[0].trim();
  const body = vectors.map((v) => JSON.stringify(v)).join(',\n');
  writeFileSync(
    join(here, 'java-reference-vectors.json'),
    `{"java": ${JSON.stringify(versionOf(java))},\n"javaDouble": ${JSON.stringify(versionOf(process.env.JAVA_DOUBLE ?? java))},\n"vectors": [\n${body}\n]}\n`,
  );
  console.log(`wrote ${vectors.length} vectors`);
}

// Only when run as a script (importing this file does nothing).
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) main();
