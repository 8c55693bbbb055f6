"use client";

import { useSyncExternalStore, type ReactNode } from "react";

const noSubscription = (): (() => void) => () => {};

/**
 * Proves HttpOnly in place: this page's own JavaScript looks for the session cookie in
 * document.cookie and reports what it found. It learns only whether the name is there.
 */
export function ScriptVisibilityCheck({ cookieName }: { cookieName: string }): ReactNode {
  const visible = useSyncExternalStore(
    noSubscription,
    () => document.cookie.split(";").some((part) => part.trim().startsWith(`${cookieName}=`)),
    () => null,
  );
  if (visible === null) return <span>Checking what this page&apos;s JavaScript can see…</span>;
  return visible ? (
    <span>
      This page&apos;s JavaScript can see <code className="font-mono">{cookieName}</code> in{" "}
      <code className="font-mono">document.cookie</code>: the cookie is not HttpOnly.
    </span>
  ) : (
    <span>
      Checked just now: <code className="font-mono">document.cookie</code> on this page does not include{" "}
      <code className="font-mono">{cookieName}</code>.
    </span>
  );
}
