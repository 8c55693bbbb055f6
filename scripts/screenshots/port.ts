/**
 * Imported first by playwright.screenshots.config.ts: the screenshots get their own port (and so
 * their own throwaway database under e2e/.tmp) unless E2E_PORT says otherwise, so they can run
 * beside `npm test`.
 */
import { defaultE2ePort } from "../../lib/config/tooling.mjs";

defaultE2ePort(3220);
