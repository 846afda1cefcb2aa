// Lint: typescript-eslint's recommended rules over our own code, plus the rules that keep the
// extension honest (no stray console in the content script is left to review, not lint).
import tseslint from 'typescript-eslint';
import { boundaryConfigs } from './eslint.boundaries.js';

export default tseslint.config(
  { ignores: ['node_modules/', '.output/', '.wxt/', 'demo-out/', 'docs/'] },
  ...tseslint.configs.recommended,
  {
    files: ['**/*.{ts,tsx}'],
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_' }],
      'no-restricted-syntax': [
        'error',
        { selector: "JSXAttribute[name.name='dangerouslySetInnerHTML']", message: 'API text is rendered as text, never as HTML.' },
      ],
    },
  },
  // Who may import whom: docs/architecture.md, table in eslint.boundaries.js.
  ...boundaryConfigs(import.meta.dirname),
);
