// Type-aware lint for the whole workspace, at zero warnings (`pnpm lint`).
// The package graph drawn in ARCHITECTURE.md is written down here too: an import that points
// the wrong way fails lint instead of waiting for a review.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';

/** Which workspace packages each package may import (the arrows of the package graph). */
const allowed = {
  kit: [],
  basics: [],
  language: [],
  'data-sql': ['kit'],
  'data-nosql': ['kit'],
  auth: ['data-sql', 'kit'],
  // conduit → events: the write use cases record their domain events (contracts) in the outbox.
  conduit: ['data-sql', 'auth', 'events', 'kit'],
  'rest-api': ['conduit', 'auth', 'data-sql', 'kit'],
  'graphql-api': ['conduit', 'auth', 'data-sql', 'kit'],
  // events → data-sql: the outbox relay reads the outbox through data-sql's repository (SQL lives
  // in one place), never the Conduit tables; see packages/events/README.md.
  events: ['data-sql', 'kit'],
  notifications: ['events', 'data-nosql', 'auth', 'data-sql', 'kit'],
};

const everyPackage = Object.keys(allowed);

/**
 * Imports forbidden inside a package even though the package graph allows the package itself.
 * conduit knows no HTTP framework at all; graphql-api serves over Express (Apollo's
 * integration) but must reach auth through its framework-free core, never its Express entry.
 */
const expressEntries = ['@roadmap/auth/express', '@roadmap/kit/express'];
const forbidden = {
  conduit: {
    group: [...expressEntries, 'express', 'express-*', 'passport', 'passport-*'],
    message:
      'packages/conduit knows no HTTP framework: import @roadmap/auth and @roadmap/kit, not their Express entries.',
  },
  'graphql-api': {
    group: ['@roadmap/auth/express', '@roadmap/auth/express/*'],
    message:
      'packages/graphql-api builds its Actor with the auth core: import @roadmap/auth, not its Express entry.',
  },
  // notifications serves over Express but verifies tokens with auth's public keys alone.
  notifications: {
    group: ['@roadmap/auth/express', '@roadmap/auth/express/*'],
    message:
      'packages/notifications verifies tokens with the auth core and JWKS: import @roadmap/auth, not its Express entry.',
  },
};

const graphRules = Object.entries(allowed).map(([pkg, deps]) => ({
  files: [`packages/${pkg}/**/*.{ts,mts,cts}`],
  rules: {
    'no-restricted-imports': [
      'error',
      {
        patterns: [
          {
            group: everyPackage
              .filter((other) => other !== pkg && !deps.includes(other))
              .flatMap((other) => [`@roadmap/${other}`, `@roadmap/${other}/*`]),
            message: `packages/${pkg} may import only: ${deps.length ? deps.join(', ') : 'no workspace package'} (see the package graph in ARCHITECTURE.md).`,
          },
          ...(forbidden[pkg] ? [forbidden[pkg]] : []),
          {
            group: ['../../*/src/*', '../../../*/src/*'],
            message:
              'Import another package by its name (@roadmap/…), never by a relative path into it.',
          },
        ],
      },
    ],
  },
}));

export default tseslint.config(
  {
    ignores: ['**/node_modules/**', '**/dist/**', '**/coverage/**', 'reports/**', '**/*.d.ts'],
  },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      globals: { ...globals.node },
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/switch-exhaustiveness-check': 'error',
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_' },
      ],
    },
  },
  {
    // Plain JavaScript (configs, browser page scripts): no type information.
    files: ['**/*.{js,cjs,mjs}'],
    ...tseslint.configs.disableTypeChecked,
  },
  {
    files: ['**/*.cjs'],
    languageOptions: { sourceType: 'commonjs', globals: { ...globals.node } },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    // Tests: supertest's `res.body` is `any` by design (the test asserts its shape), and
    // jest's matchers trip unbound-method; the rest of the type-aware rules stay on.
    files: ['**/test/**/*.ts', '**/*.test.ts'],
    rules: {
      '@typescript-eslint/unbound-method': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/require-await': 'off',
    },
  },
  ...graphRules,
);
