import path from "node:path";
import { getTooling } from "../lib/config/tooling.mjs";

/** One place for the values the test server and the fixtures must agree on. */
export const E2E_PORT = getTooling().e2ePort;
export const BASE_URL = `http://localhost:${E2E_PORT}`;
/** Per port, so two runs on one machine never share a database. */
export const E2E_DIR = path.join(import.meta.dirname, ".tmp", String(E2E_PORT));
export const E2E_DATABASE_URL = `file:${path.join(E2E_DIR, "e2e.db")}`;
/** A throwaway secret for the throwaway database; never used outside the tests. */
export const E2E_SESSION_SECRET = "e2e-only-secret-0123456789abcdefghijklmnopqrstuvwxyz";
/** The minimum the app accepts, to keep the suite fast; production uses 12. */
export const E2E_BCRYPT_COST = 10;
