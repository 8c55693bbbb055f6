export const DEFAULT_REDIRECT = "/dashboard";

const PLACEHOLDER_ORIGIN = "http://sesame.invalid";

/**
 * The `?next=` destination if it is a plain path on this site, else the default.
 * Anything a browser could read as another origin falls back: `//host`, backslashes,
 * schemes, control characters, and encoded slashes or dot-segments.
 */
export function safeRedirectPath(next: unknown, fallback = DEFAULT_REDIRECT): string {
  if (typeof next !== "string" || next.length === 0 || next.length > 2048) return fallback;
  if (!next.startsWith("/") || next.startsWith("//")) return fallback;
  if (/[\\\u0000-\u001f\u007f]/.test(next)) return fallback;
  let decoded: string;
  try {
    decoded = decodeURIComponent(next);
  } catch {
    return fallback;
  }
  if (/[\\\u0000-\u001f\u007f]|\/\/|(^|\/)\.\.?(\/|$)/.test(decoded.split(/[?#]/)[0] ?? "")) return fallback;
  let url: URL;
  try {
    url = new URL(next, PLACEHOLDER_ORIGIN);
  } catch {
    return fallback;
  }
  if (url.origin !== PLACEHOLDER_ORIGIN) return fallback;
  return `${url.pathname}${url.search}${url.hash}`;
}
