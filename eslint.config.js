// ESLint for the TypeScript sources: typescript-eslint's recommended rules, tuned to how this code is written.
// Formatting is Prettier's job (.prettierrc.json); types are tsc's (`npm run typecheck`).
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['node_modules/**', 'dist/**', 'data/**', '**/*.js', '**/*.mjs', '**/*.cjs'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    rules: {
      // tsc's noUnusedLocals/noUnusedParameters report these already
      '@typescript-eslint/no-unused-vars': 'off',
      // tsc knows every name; this rule does not know each environment's globals
      'no-undef': 'off',
      // the code gives a variable its fallback value before a try or a chain of branches that may replace it
      'no-useless-assignment': 'off',
      '@typescript-eslint/no-unused-expressions': ['error', { allowShortCircuit: true }],
    },
  },
  {
    // chai's property assertions (`.to.be.true`) are expressions; tests read loosely typed JSON answers
    files: ['test/**/*.ts', '**/*.test.ts', 'bench/**/*.ts'],
    rules: { '@typescript-eslint/no-unused-expressions': 'off', '@typescript-eslint/no-explicit-any': 'off' },
  },
  {
    // typings for untyped packages describe what they do not know as `any`
    files: ['**/*.d.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
);
