import { formatDuration } from "@/lib/format";

/** Durations as the inspector and the countdowns show them. Pure functions: safe on server and client. */

const UNITS: [seconds: number, short: string, long: string][] = [
  [86_400, "d", "day"],
  [3_600, "h", "hour"],
  [60, "m", "minute"],
  [1, "s", "second"],
];

/** A ticking countdown: "41s", "29m 41s", "11h 59m 41s", "29d 23h 59m 41s". Never negative. */
export function formatCountdown(totalSeconds: number): string {
  let rest = Math.max(0, Math.floor(totalSeconds));
  const parts: string[] = [];
  for (const [size, short] of UNITS) {
    const count = Math.floor(rest / size);
    rest -= count * size;
    // Leading zero units are dropped; once a unit is shown, the smaller ones are too (two digits).
    if (parts.length > 0) parts.push(`${String(count).padStart(2, "0")}${short}`);
    else if (count > 0 || size === 1) parts.push(`${count}${short}`);
  }
  return parts.join(" ");
}

/** Parses formatCountdown's output back to seconds (for tests and for reading a timer). */
export function parseCountdown(text: string): number {
  let seconds = 0;
  for (const [size, short] of UNITS) {
    const match = new RegExp(`(\\d+)${short}\\b`).exec(text);
    if (match) seconds += Number(match[1]) * size;
  }
  return seconds;
}

/** A rough length in words, the two largest units: "29 days 23 hours", "30 minutes", "45 seconds". */
export function describeDuration(totalSeconds: number): string {
  let rest = Math.max(0, Math.round(totalSeconds));
  const words: string[] = [];
  for (const [size, , name] of UNITS) {
    const count = Math.floor(rest / size);
    rest -= count * size;
    if (count > 0 && words.length < 2) words.push(`${count} ${name}${count === 1 ? "" : "s"}`);
    else if (words.length > 0) break;
  }
  return words.length > 0 ? words.join(" ") : "0 seconds";
}

/** How often something happens at most, in words: "once a minute", "once every 5 minutes". */
export function oncePer(seconds: number): string {
  if (seconds === 60) return "once a minute";
  if (seconds === 3600) return "once an hour";
  return `once every ${formatDuration(seconds)}`;
}
