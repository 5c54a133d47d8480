import nextVitals from "eslint-config-next/core-web-vitals";
import nextTs from "eslint-config-next/typescript";
import tseslint from "typescript-eslint";

const NATIVE_CODE = { group: ["onnxruntime-node", "@/lib/diffusion/*", "@/workers/*"], message: "The web bundle must never pull in native inference code." };

const config = [
  ...nextVitals,
  ...nextTs,
  {
    ignores: [".config/**", ".next/**", ".data/**", ".scratch/**", "lib/generated/**", "node_modules/**", "test-results/**", "models/**", "next-env.d.ts"],
  },
  {
    files: ["**/*.ts", "**/*.tsx"],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    plugins: { "@typescript-eslint": tseslint.plugin },
    rules: {
      "@typescript-eslint/consistent-type-imports": ["error", { fixStyle: "inline-type-imports" }],
      // `import { type A } from "./x"` still imports ./x at run time (verbatimModuleSyntax): in the browser
      // that edge closed a cycle (lib/prompt: style-reference → spec → recipe → style-reference) whose
      // evaluation order broke the Draft page's large view with a ReferenceError. Type-only means `import type`.
      "@typescript-eslint/no-import-type-side-effects": "error",
      "@typescript-eslint/no-floating-promises": "error",
      "@typescript-eslint/no-misused-promises": ["error", { checksVoidReturn: { attributes: false } }],
      "@typescript-eslint/switch-exhaustiveness-check": ["error", { considerDefaultExhaustiveForUnions: true }],
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
    },
  },
  {
    // The web bundle must never pull in native inference code (docs/engineering-style.md, rule 9).
    files: ["app/**", "components/**"],
    rules: {
      "no-restricted-imports": ["error", { patterns: [NATIVE_CODE] }],
    },
  },
  {
    // Components run in the browser: they reach the server through the typed API client
    // (lib/api/client.ts), never through server modules, the database or storage.
    files: ["components/**"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            NATIVE_CODE,
            {
              group: ["@/lib/server", "@/lib/server/*", "@/lib/db", "@/lib/db/*", "@/lib/storage", "@/lib/storage/*", "**/lib/server/*", "**/lib/db/*", "**/lib/storage", "**/lib/storage/*"],
              message: "Components run in the browser: call the API through @/lib/api/client instead.",
            },
          ],
        },
      ],
    },
  },
];

export default config;
