/** Runs once when the server starts; the checks themselves need Node.js. */
export async function register(): Promise<void> {
  if (process.env.NEXT_RUNTIME === "nodejs") {
    const { checkConfigurationOrExit, checkMigrationsOrExit, startHousekeeping } = await import("./lib/startup");
    checkConfigurationOrExit();
    await checkMigrationsOrExit();
    startHousekeeping();
  }
}
