const formatter = new Intl.DateTimeFormat("en-GB", {
  dateStyle: "medium",
  timeStyle: "medium",
  timeZone: "UTC",
});

/** A date as people read it, in UTC so server and browser agree. */
export function formatTime(date: Date): string {
  return `${formatter.format(date)} UTC`;
}
