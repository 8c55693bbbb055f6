/**
 * Imported first by playwright.screenshots.config.ts: the screenshots get their own port (and so
 * their own throwaway database under e2e/.tmp) unless E2E_PORT says otherwise, so they can run
 * beside `npm test`.
 */
process.env.E2E_PORT ??= "3220";

export {};
