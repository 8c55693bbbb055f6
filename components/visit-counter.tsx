"use client";

import { useEffect, useRef, useState, type ReactNode } from "react";

/**
 * Counts this visit through POST /api/visits. Pages only read sessions, so the write
 * happens in a route handler, once per page load.
 */
export function VisitCounter(): ReactNode {
  const [visits, setVisits] = useState<number | null>(null);
  const [failed, setFailed] = useState(false);
  const counted = useRef(false);

  useEffect(() => {
    if (counted.current) return;
    counted.current = true;
    fetch("/api/visits", { method: "POST", headers: { "Content-Type": "application/json" }, body: "{}" })
      .then(async (response) => {
        if (!response.ok) throw new Error(String(response.status));
        const body = (await response.json()) as { visits: number };
        setVisits(body.visits);
      })
      .catch(() => setFailed(true));
  }, []);

  return (
    <p role="status" className="text-lg">
      {failed ? (
        "The visit could not be counted."
      ) : visits === null ? (
        "Counting your visit…"
      ) : (
        <>
          You have visited this page <strong data-testid="visit-count">{visits}</strong>{" "}
          {visits === 1 ? "time" : "times"}.
        </>
      )}
    </p>
  );
}
