import nextCoreWebVitals from "eslint-config-next/core-web-vitals";
import nextTypescript from "eslint-config-next/typescript";

const FRAMEWORK = {
  group: ["next", "next/*", "react", "react-dom"],
  message: "lib/session and lib/auth stay independent of Next.js and React; put framework code in lib/next.",
};
const ABOVE_THE_CORE = {
  group: ["**/next/*", "**/services", "@/app/*", "@/components/*"],
  message: "lib/session and lib/auth never import the layers above them: lib/next, lib/services, app/, components/.",
};
const ABOVE_THE_BACKENDS = {
  group: ["../session", "../open-session", "../user-sessions", "../clear-expired"],
  message: "A backend stores records; Session, openSession and the user-session helpers are built on top of it.",
};

const config = [
  ...nextCoreWebVitals,
  ...nextTypescript,
  {
    rules: {
      "@typescript-eslint/no-unused-vars": [
        "error",
        { argsIgnorePattern: "^_", varsIgnorePattern: "^_", destructuredArrayIgnorePattern: "^_" },
      ],
    },
  },
  {
    // Only lib/next may import next/*: the session and auth core stay framework-free.
    files: ["lib/**/*.ts"],
    ignores: ["lib/next/**"],
    rules: { "no-restricted-imports": ["error", { patterns: [FRAMEWORK] }] },
  },
  {
    // The core sits below lib/next and the services, which pass it what it needs.
    files: ["lib/session/**/*.ts", "lib/auth/**/*.ts"],
    rules: { "no-restricted-imports": ["error", { patterns: [FRAMEWORK, ABOVE_THE_CORE] }] },
  },
  {
    // A backend implements SessionStore; the modules built on stores sit above it.
    files: ["lib/session/backends/**/*.ts"],
    rules: { "no-restricted-imports": ["error", { patterns: [FRAMEWORK, ABOVE_THE_CORE, ABOVE_THE_BACKENDS] }] },
  },
  {
    // Playwright fixtures receive a `use` callback that is not React's hook.
    files: ["e2e/**/*.ts"],
    rules: { "react-hooks/rules-of-hooks": "off" },
  },
  {
    ignores: [
      "e2e/.tmp/**",
      ".next/**",
      "node_modules/**",
      "lib/generated/**",
      "next-env.d.ts",
      "playwright-report/**",
      "test-results/**",
    ],
  },
];

export default config;
