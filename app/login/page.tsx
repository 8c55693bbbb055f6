import type { Metadata } from "next";
import { redirect } from "next/navigation";
import type { ReactNode } from "react";
import { LoginForm } from "@/components/auth-forms";
import { Alert, Card, DjangoHint } from "@/components/ui";
import { safeRedirectPath } from "@/lib/auth/redirect";
import { getAuth, getSession } from "@/lib/next/session";
import { rejectionMessage } from "@/lib/next/messages";
import { getServices } from "@/lib/services";

export const metadata: Metadata = { title: "Log in" };

export default async function LoginPage({ searchParams }: PageProps<"/login">): Promise<ReactNode> {
  const params = await searchParams;
  const next = safeRedirectPath(params.next);
  const [{ user }, { rejected }, { engine }] = await Promise.all([getAuth(), getSession(), getServices()]);
  if (user) redirect(next);
  const reasonCode = typeof params.reason === "string" ? params.reason : rejected;
  const reason = rejectionMessage(reasonCode, engine.description);
  return (
    <div className="mx-auto flex max-w-md flex-col gap-4">
      <h1 className="text-2xl font-semibold tracking-tight">Log in</h1>
      {reason ? (
        <Alert tone="info">
          <p>{reason}</p>
          {/* The header's Log out button has no room for its Django line; it shows here, after the logout. */}
          {reasonCode === "logged_out" ? (
            <DjangoHint className="mt-1">logout(request) # calls request.session.flush()</DjangoHint>
          ) : null}
        </Alert>
      ) : null}
      <Card>
        <LoginForm next={next} />
      </Card>
    </div>
  );
}
