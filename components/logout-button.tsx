"use client";

import { useState, type FormEvent, type ReactNode } from "react";
import { logoutAction } from "@/app/actions/auth";
import { Button } from "./ui";

/** What the button does, in Django's words: the line the walkthrough and the login page show after logout. */
const LOGOUT_DJANGO = "Django (Python): logout(request)  # calls request.session.flush()";

/**
 * Logs out with a POST. With JavaScript it calls the JSON API, whose response carries
 * Clear-Site-Data, then replaces the page so Back cannot return to it; without JavaScript
 * the form falls back to a server action.
 */
export function LogoutButton(): ReactNode {
  const [pending, setPending] = useState(false);
  const [failed, setFailed] = useState(false);

  async function logOutWithApi(event: FormEvent<HTMLFormElement>): Promise<void> {
    event.preventDefault();
    setPending(true);
    setFailed(false);
    try {
      const response = await fetch("/api/auth/logout", {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: "{}",
      });
      if (!response.ok) throw new Error(`Logout answered ${response.status}`);
      window.location.replace("/login?reason=logged_out");
    } catch {
      setPending(false);
      setFailed(true);
    }
  }

  return (
    <form action={logoutAction} onSubmit={logOutWithApi} className="flex items-center gap-2">
      {/* The title is the Django hint: a tooltip, and the button's description for screen readers; no room for a line in the header. */}
      <Button
        type="submit"
        variant="secondary"
        disabled={pending}
        aria-busy={pending}
        title={LOGOUT_DJANGO}
        className="whitespace-nowrap"
      >
        Log out
      </Button>
      <span role="status" className="text-xs text-red-700 dark:text-red-400">
        {failed ? "Could not log out. Try again." : ""}
      </span>
    </form>
  );
}
