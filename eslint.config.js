import js from "@eslint/js";
import tseslint from "typescript-eslint";

export default tseslint.config(
  { ignores: ["dist/", "node_modules/", "coverage/", ".bench-tmp/"] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      "@typescript-eslint/no-floating-promises": "error",
      "@typescript-eslint/consistent-type-imports": "error",
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      "@typescript-eslint/only-throw-error": "off",
      "@typescript-eslint/require-await": "off",
      // Identifiers and header values are checked for control characters on purpose.
      "no-control-regex": "off",
      // The CommonJS build lowers ?? and ?. into callbacks, where a yield is a
      // syntax error: keep yields out of them.
      "no-restricted-syntax": [
        "error",
        {
          selector: "LogicalExpression[operator='??'] YieldExpression, AssignmentExpression[operator='??='] YieldExpression, ChainExpression YieldExpression",
          message: "No yield inside ?? or ?.: the CommonJS build turns them into callbacks. Split the statement.",
        },
      ],
    },
  },
  {
    // Server tests read JSON answers and SSE payloads as untyped values on purpose.
    files: ["test/server/**/*.ts", "test/conformance/**/*.ts", "test/reliability/hardening/**/*.ts"],
    rules: {
      "@typescript-eslint/no-explicit-any": "off",
      "@typescript-eslint/no-unsafe-assignment": "off",
      "@typescript-eslint/no-unsafe-member-access": "off",
      "@typescript-eslint/no-unsafe-call": "off",
      "@typescript-eslint/no-unsafe-argument": "off",
      "@typescript-eslint/no-unsafe-return": "off",
    },
  },
  {
    files: ["**/*.js", "**/*.cjs", "**/*.mjs"],
    ...tseslint.configs.disableTypeChecked,
    // Plain JavaScript here runs on Node (scripts and a benchmark kept free of any loader).
    languageOptions: { ...tseslint.configs.disableTypeChecked.languageOptions, globals: { process: "readonly", performance: "readonly", Request: "readonly", console: "readonly", URL: "readonly" } },
  },
);
