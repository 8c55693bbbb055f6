/** Dates and durations as the pages show them. Pure functions: safe on server and client. */

const formatter = new Intl.DateTimeFormat("en-GB", {
  dateStyle: "medium",
  timeStyle: "medium",
  timeZone: "UTC",
});

/** A date as people read it, in UTC so server and browser agree. */
export function formatTime(date: Date): string {
  return `${formatter.format(date)} UTC`;
}

/** The units every duration below is told in, largest first. */
const UNITS: [seconds: number, short: string, long: string][] = [
  [86_400, "d", "day"],
  [3_600, "h", "hour"],
  [60, "m", "minute"],
  [1, "s", "second"],
];

const countWords = (count: number, unit: string): string => `${count} ${unit}${count === 1 ? "" : "s"}`;

/** A duration in the largest whole unit that fits: "30 minutes", "12 hours", "30 days". */
export function formatDuration(seconds: number): string {
  for (const [size, , name] of UNITS) {
    if (seconds >= size && seconds % size === 0) return countWords(seconds / size, name);
  }
  return `${seconds} seconds`;
}

/** A rough length in words, the two largest units: "29 days 23 hours", "30 minutes", "45 seconds". */
export function describeDuration(totalSeconds: number): string {
  let rest = Math.max(0, Math.round(totalSeconds));
  const words: string[] = [];
  for (const [size, , name] of UNITS) {
    const count = Math.floor(rest / size);
    rest -= count * size;
    if (count > 0 && words.length < 2) words.push(countWords(count, name));
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
