// Lint rules, including the layering of src/: each layer may import only from the layers below it.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

/** Folders of src/ and the folders each must not import from (higher layers). */
const layers = {
  util: ['input', 'types', 'spec', 'sql', 'plan', 'engine', 'runtime', 'app', 'kpl', 'kinesis', 'sinks', 'lambda', 'discover', 'studio', 'cli', 'translate'],
  types: ['input', 'spec', 'sql', 'plan', 'engine', 'runtime', 'app', 'kpl', 'kinesis', 'sinks', 'lambda', 'discover', 'studio', 'cli', 'translate'],
  input: ['spec', 'sql', 'plan', 'engine', 'runtime', 'app', 'kpl', 'kinesis', 'sinks', 'lambda', 'discover', 'studio', 'cli', 'translate'],
  spec: ['input', 'sql', 'plan', 'engine', 'runtime', 'app', 'kpl', 'kinesis', 'sinks', 'lambda', 'discover', 'studio', 'cli', 'translate'],
  kpl: ['spec', 'sql', 'plan', 'engine', 'runtime', 'app', 'kinesis', 'sinks', 'lambda', 'discover', 'studio', 'cli', 'translate'],
  sql: ['spec', 'plan', 'engine', 'runtime', 'app', 'kpl', 'kinesis', 'sinks', 'lambda', 'discover', 'studio', 'cli', 'translate'],
  plan: ['spec', 'engine', 'runtime', 'app', 'kpl', 'kinesis', 'sinks', 'lambda', 'discover', 'studio', 'cli', 'translate'],
  engine: ['spec', 'runtime', 'app', 'kpl', 'kinesis', 'sinks', 'lambda', 'discover', 'studio', 'cli', 'translate'],
  kinesis: ['spec', 'sql', 'plan', 'engine', 'runtime', 'app', 'sinks', 'lambda', 'discover', 'studio', 'cli', 'translate'],
  sinks: ['sql', 'plan', 'engine', 'runtime', 'app', 'lambda', 'discover', 'studio', 'cli', 'translate'],
  runtime: ['app', 'lambda', 'discover', 'studio', 'cli', 'translate'],
  app: ['lambda', 'discover', 'studio', 'cli', 'translate'],
  // discover and studio sit at the application level: they use app and the runtime (sources, preprocessing, the loop); nothing
  // below imports them.
  discover: ['studio', 'lambda', 'cli', 'translate'],
  studio: ['lambda', 'cli', 'translate'],
  lambda: ['discover', 'studio', 'cli', 'translate'],
  // The Flink translator reads the bound plan, the SQL AST, types, the input format and the application spec; only cli uses it.
  translate: ['engine', 'runtime', 'app', 'kpl', 'kinesis', 'sinks', 'lambda', 'discover', 'studio', 'cli'],
};

export default tseslint.config(
  { ignores: ['dist/**', 'build/**', 'dist-check/**', 'node_modules/**', 'cdk.out/**', 'output/**', 'coverage/**', '**/*.snapshot/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { process: 'readonly', console: 'readonly', Buffer: 'readonly', URL: 'readonly', setTimeout: 'readonly', clearTimeout: 'readonly', setInterval: 'readonly', clearInterval: 'readonly', setImmediate: 'readonly', TextDecoder: 'readonly', TextEncoder: 'readonly', AbortController: 'readonly', performance: 'readonly', queueMicrotask: 'readonly' } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      'no-constant-condition': ['error', { checkLoops: false }],
    },
  },
  {
    // Type-aware rules, for the code that ships: a switch over a closed union (plan node kinds, aggregate and
    // analytic kinds...) must handle every member, even when it has a default, so a new member is a lint error
    // at every switch that does not handle it. Tests, benchmarks and scripts are left out to keep lint fast.
    files: ['src/**/*.ts', 'infra/lib/**/*.ts'],
    ignores: ['**/*.test.ts'],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/switch-exhaustiveness-check': ['error', { considerDefaultExhaustiveForUnions: true, requireDefaultForNonUnion: false }],
    },
  },
  {
    // Every error thrown on purpose is one of src/errors.ts's typed errors (errors.ts itself holds the base).
    files: ['src/**/*.ts', 'infra/lib/**/*.ts'],
    ignores: ['**/*.test.ts', 'src/errors.ts'],
    rules: {
      'no-restricted-syntax': ['error',
        { selector: 'NewExpression[callee.name=/^(Error|TypeError|RangeError|SyntaxError|EvalError|ReferenceError|URIError)$/]', message: 'Throw one of the typed errors of src/errors.ts, not a built-in Error.' },
        { selector: 'CallExpression[callee.name=/^(Error|TypeError|RangeError|SyntaxError)$/]', message: 'Throw one of the typed errors of src/errors.ts, not a built-in Error.' },
        { selector: 'ClassDeclaration[superClass.name=/^(Error|TypeError|RangeError|SyntaxError)$/]', message: 'Error classes extend one of the typed errors of src/errors.ts.' },
      ],
    },
  },
  ...Object.entries(layers).map(([layer, forbidden]) => ({
    files: [`src/${layer}/**/*.ts`],
    rules: {
      'no-restricted-imports': ['error', {
        patterns: forbidden.map((f) => ({ group: [`**/${f}/*`, `../${f}`, `../../${f}`], message: `src/${layer} is a lower layer and must not import from src/${f}.` })),
      }],
    },
  })),
);
