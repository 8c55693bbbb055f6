import type { Locator, Page, Response } from "@playwright/test";
import { expect } from "../fixtures";

/** A server action's POST: Next.js marks it with the Next-Action header. */
function isServerAction(response: Response): boolean {
  const request = response.request();
  return request.method() === "POST" && request.headers()["next-action"] !== undefined;
}

/** Every server action answer the page receives, to assert afterwards that none was a 5xx. */
export function watchServerActions(page: Page): { status: number; url: string }[] {
  const seen: { status: number; url: string }[] = [];
  page.on("response", (response) => {
    if (isServerAction(response)) seen.push({ status: response.status(), url: response.url() });
  });
  return seen;
}

/** Any alert(), confirm() or prompt() a page opens: injected markup must never run. */
export function watchDialogs(page: Page): string[] {
  const dialogs: string[] = [];
  page.on("dialog", (dialog) => {
    dialogs.push(`${dialog.type()}: ${dialog.message()}`);
    void dialog.dismiss();
  });
  return dialogs;
}

/** Clicks a submit button and waits for the server action's answer. */
export async function submitAction(page: Page, button: Locator): Promise<Response> {
  const [response] = await Promise.all([page.waitForResponse(isServerAction, { timeout: 15_000 }), button.click()]);
  return response;
}

/** Fills an input and returns what it really holds: inputs drop newlines, email inputs trim. */
export async function fillAndRead(input: Locator, text: string): Promise<string> {
  await input.fill(text);
  return input.inputValue();
}

/** Next.js's error screens, which a refused input must never lead to. */
export async function expectNoErrorPage(page: Page, what: string): Promise<void> {
  await expect(
    page.getByText(
      /Application error|server-side exception|client-side exception|Internal Server Error|This page couldn.t load/i,
    ),
    `no error page after ${what}`,
  ).toHaveCount(0);
}
