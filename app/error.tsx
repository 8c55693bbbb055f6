"use client";

import type { ReactNode } from "react";
import { Alert, Button } from "@/components/ui";

/** Shown instead of a broken page when something fails while rendering. It never shows the error itself. */
export default function ErrorPage({ reset }: { error: Error & { digest?: string }; reset: () => void }): ReactNode {
  return (
    <div className="flex max-w-xl flex-col gap-4">
      <h1 className="text-2xl font-semibold tracking-tight">Something went wrong</h1>
      <Alert tone="error">This page could not be shown. Nothing you stored was lost; please try again.</Alert>
      <div>
        <Button type="button" onClick={reset}>
          Try again
        </Button>
      </div>
    </div>
  );
}
