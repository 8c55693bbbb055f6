import Link from "next/link";
import type { ReactNode } from "react";
import { getAuth } from "@/lib/next/session";
import { LogoutButton } from "./logout-button";

export async function SiteHeader(): Promise<ReactNode> {
  const { user } = await getAuth();
  return (
    <header className="border-b border-stone-200 bg-white dark:border-stone-800 dark:bg-stone-900">
      <div className="mx-auto flex w-full max-w-5xl flex-wrap items-center justify-between gap-3 px-4 py-3 sm:px-6">
        <nav aria-label="Main" className="flex flex-wrap items-center gap-x-4 gap-y-2 text-sm">
          <Link href="/" className="flex items-center gap-1.5 text-base font-semibold tracking-tight">
            <svg
              aria-hidden="true"
              viewBox="0 0 24 24"
              className="size-5 fill-none stroke-emerald-700 stroke-2 dark:stroke-emerald-400"
            >
              <circle cx="8" cy="15" r="4" />
              <path d="M11 12l8-8m-3 3l2 2m-4 0l2 2" strokeLinecap="round" />
            </svg>
            Sesame
          </Link>
          {user ? (
            <>
              <Link href="/dashboard" className="hover:underline">
                Dashboard
              </Link>
              <Link href="/sessions" className="hover:underline">
                Sessions
              </Link>
              <Link href="/account" className="hover:underline">
                Account
              </Link>
              {/* From the cached user: cheap on every page; /admin itself checks the database. */}
              {user.isSuperuser ? (
                <Link href="/admin/sessions" className="hover:underline">
                  Admin
                </Link>
              ) : null}
            </>
          ) : null}
          <Link href="/how-it-works" className="hover:underline">
            How it works
          </Link>
          <Link href="/backends" className="hover:underline">
            Backends
          </Link>
        </nav>
        <div className="flex min-w-0 items-center gap-3 text-sm">
          {user ? (
            <>
              {/* A long email wraps anywhere rather than push Log out off a narrow screen. */}
              <span className="min-w-0 text-stone-600 wrap-anywhere dark:text-stone-300">
                Signed in as <strong className="font-medium text-stone-900 dark:text-stone-100">{user.email}</strong>
              </span>
              <LogoutButton />
            </>
          ) : (
            <>
              <Link href="/login" className="hover:underline">
                Log in
              </Link>
              <Link
                href="/register"
                className="rounded-md bg-emerald-700 px-3 py-1.5 font-medium text-white hover:bg-emerald-800 dark:bg-emerald-700 dark:hover:bg-emerald-800"
              >
                Register
              </Link>
            </>
          )}
        </div>
      </div>
    </header>
  );
}
