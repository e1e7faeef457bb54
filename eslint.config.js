// Lint rules, including the layering of src/: each layer may import only from the layers below it.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

/** Folders of src/ and the folders each must not import from (higher layers). */
const layers = {
  util: ['input', 'types', 'spec', 'sql', 'plan', 'engine', 'runtime', 'app', 'kpl', 'kinesis', 'sinks', 'lambda', 'discover', 'studio', 'cli'],
  types: ['input', 'spec', 'sql', 'plan', 'engine', 'runtime', 'app', 'kpl', 'kinesis', 'sinks', 'lambda', 'discover', 'studio', 'cli'],
  input: ['spec', 'sql', 'plan', 'engine', 'runtime', 'app', 'kpl', 'kinesis', 'sinks', 'lambda', 'discover', 'studio', 'cli'],
  spec: ['input', 'sql', 'plan', 'engine', 'runtime', 'app', 'kpl', 'kinesis', 'sinks', 'lambda', 'discover', 'studio', 'cli'],
  kpl: ['spec', 'sql', 'plan', 'engine', 'runtime', 'app', 'kinesis', 'sinks', 'lambda', 'discover', 'studio', 'cli'],
  sql: ['spec', 'plan', 'engine', 'runtime', 'app', 'kpl', 'kinesis', 'sinks', 'lambda', 'discover', 'studio', 'cli'],
  plan: ['spec', 'engine', 'runtime', 'app', 'kpl', 'kinesis', 'sinks', 'lambda', 'discover', 'studio', 'cli'],
  engine: ['spec', 'runtime', 'app', 'kpl', 'kinesis', 'sinks', 'lambda', 'discover', 'studio', 'cli'],
  kinesis: ['spec', 'sql', 'plan', 'engine', 'runtime', 'app', 'sinks', 'lambda', 'discover', 'studio', 'cli'],
  sinks: ['sql', 'plan', 'engine', 'runtime', 'app', 'lambda', 'discover', 'studio', 'cli'],
  runtime: ['app', 'lambda', 'discover', 'studio', 'cli'],
  app: ['lambda', 'discover', 'studio', 'cli'],
  // discover and studio sit at the application level: they use app (sources, preprocessing, the pipeline); nothing
  // below imports them.
  discover: ['studio', 'lambda', 'cli'],
  studio: ['lambda', 'cli'],
  lambda: ['discover', 'studio', 'cli'],
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
  ...Object.entries(layers).map(([layer, forbidden]) => ({
    files: [`src/${layer}/**/*.ts`],
    rules: {
      'no-restricted-imports': ['error', {
        patterns: forbidden.map((f) => ({ group: [`**/${f}/*`, `../${f}`, `../../${f}`], message: `src/${layer} is a lower layer and must not import from src/${f}.` })),
      }],
    },
  })),
);
