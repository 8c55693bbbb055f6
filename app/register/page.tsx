import type { Metadata } from "next";
import { redirect } from "next/navigation";
import type { ReactNode } from "react";
import { RegisterForm } from "@/components/auth-forms";
import { Card } from "@/components/ui";
import { safeRedirectPath } from "@/lib/auth/redirect";
import { getAuth } from "@/lib/next/session";

export const metadata: Metadata = { title: "Create an account" };

export default async function RegisterPage({ searchParams }: PageProps<"/register">): Promise<ReactNode> {
  const next = safeRedirectPath((await searchParams).next);
  const { user } = await getAuth();
  if (user) redirect(next);
  return (
    <div className="mx-auto flex max-w-md flex-col gap-4">
      <h1 className="text-2xl font-semibold tracking-tight">Create an account</h1>
      <p className="text-sm text-stone-600 dark:text-stone-400">
        Registering logs you in at once. Anything your anonymous session already holds comes along.
      </p>
      <Card>
        <RegisterForm next={next} />
      </Card>
    </div>
  );
}
