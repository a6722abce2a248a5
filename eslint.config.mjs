// Lint rules: typescript-eslint's recommended set (not type-checked, to stay fast), lenient in
// general, strict about one thing: workflow code must stay deterministic, so workflows/ may not
// import Node built-ins, I/O libraries, the Temporal client/worker/activity packages or the folders
// of the project that do I/O. `import type` stays allowed: workflows type their activity proxies from them.
import { builtinModules } from 'node:module';
import js from '@eslint/js';
import { defineConfig } from 'eslint/config';
import tseslint from 'typescript-eslint';

const WORKFLOW_MESSAGE =
  'Workflow code must be deterministic and free of I/O: do this in an activity, or import only types (`import type`).';

const forbiddenPackages = [
  'pg',
  'kysely',
  'express',
  'nodemailer',
  'pdfkit',
  '@temporalio/client',
  '@temporalio/worker',
  '@temporalio/activity',
  '@temporalio/testing',
];

/** Folders of the project that do I/O or build it. */
const ioFolders = ['db', 'activities', 'api', 'web', 'services', 'templates', 'embedded', 'worker', 'config', 'scripts'];

/** Deepest folder nesting under workflows/ that gets the relative-import check. */
const MAX_WORKFLOW_DEPTH = 5;

function restriction(extraPatterns) {
  const forbidden = { message: WORKFLOW_MESSAGE, allowTypeImports: true };
  return [
    'error',
    {
      paths: [...builtinModules, ...forbiddenPackages].map((name) => ({ name, ...forbidden })),
      patterns: [
        { group: ['node:*'], ...forbidden },
        { group: [...builtinModules, ...forbiddenPackages].map((name) => `${name}/*`), ...forbidden },
                ...extraPatterns.map((regex) => ({ regex, ...forbidden })),
      ],
    },
  ];
}

/**
 * A relative import reaches a top-level folder only with as many `../` as the file is deep, so each
 * depth gets its own pattern: `../db` from workflows/x.ts is the database layer, from
 * workflows/rights/x.ts it is workflows/db.
 */
const workflowImportRules = Array.from({ length: MAX_WORKFLOW_DEPTH + 1 }, (_, depth) => ({
  files: [`workflows/${'*/'.repeat(depth)}*.ts`],
  rules: {
    'no-restricted-imports': 'off',
    '@typescript-eslint/no-restricted-imports': restriction([
      `^${'\\.\\./'.repeat(depth + 1)}(${ioFolders.join('|')})(/|$)`,
    ]),
  },
}));

export default defineConfig(
  { ignores: ['node_modules/**', '.data/**', '.cache/**', 'coverage/**', 'dist/**', 'test-results/**'] },
  js.configs.recommended,
  tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': [
        'error',
        {
          argsIgnorePattern: '^_',
          varsIgnorePattern: '^_',
          caughtErrorsIgnorePattern: '^_',
          destructuredArrayIgnorePattern: '^_',
          ignoreRestSiblings: true,
        },
      ],
    },
  },
  {
    files: ['**/*.js', '**/*.cjs'],
    languageOptions: {
      sourceType: 'commonjs',
      globals: { module: 'writable', require: 'readonly', process: 'readonly', __dirname: 'readonly', console: 'readonly' },
    },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    // A migration is written once and must keep working whatever the table types become later, so
    // it takes `Kysely<any>`, as Kysely's own migration guide does.
    files: ['db/migrations/*.ts', 'db/migrate.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
  workflowImportRules,
  {
    // Versioning by patching (README, "Changing workflow code"): every patch is asked in
    // workflows/patches.ts, once, at the workflow's first task (patchesAtStart), and the code
    // branches on the answer kept in the workflow's context. A patch asked later, after a local
    // activity, can be answered differently when the history is replayed.
    files: ['workflows/**/*.ts'],
    ignores: ['workflows/patches.ts'],
    rules: {
      'no-restricted-syntax': [
        'error',
        {
          selector: "CallExpression[callee.name=/^(patched|deprecatePatch)$/]",
          message: 'Patches are asked at the first task, in workflows/patches.ts (patchesAtStart): branch on ctx.patches[id].',
        },
      ],
    },
  },
  {
    // In the register itself, every id comes from PATCHES, so each patch has its date and reason.
    files: ['workflows/patches.ts'],
    rules: {
      'no-restricted-syntax': [
        'error',
        {
          selector: "CallExpression[callee.name=/^(patched|deprecatePatch)$/][arguments.0.type!='MemberExpression']",
          message: 'Patch ids come from PATCHES in workflows/patches.ts: patched(PATCHES[id]), with the entry saying when and why.',
        },
      ],
    },
  },
);
