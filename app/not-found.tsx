import Link from "next/link";
import type { ReactNode } from "react";

export default function NotFound(): ReactNode {
  return (
    <div className="flex flex-col gap-3">
      <h1 className="text-2xl font-semibold tracking-tight">Page not found</h1>
      <p className="text-stone-700 dark:text-stone-300">There is nothing at this address.</p>
      <p>
        <Link href="/" className="font-medium underline">
          Go to the home page
        </Link>
      </p>
    </div>
  );
}
