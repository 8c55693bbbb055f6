import { dictionary } from "@zxcvbn-ts/language-common";

/** How many of the most common passwords Sesame refuses (ASVS 6.2.4 asks for at least 3,000). */
export const COMMON_PASSWORD_COUNT = 10_000;

let common: Set<string> | undefined;

/**
 * True for a password among the 10,000 most common, ignoring case. The list, ranked by
 * frequency, ships with @zxcvbn-ts/language-common; it is read once, on first use.
 */
export function isCommonPassword(password: string): boolean {
  common ??= new Set(dictionary["passwords-common"].slice(0, COMMON_PASSWORD_COUNT));
  return common.has(password.toLowerCase());
}
