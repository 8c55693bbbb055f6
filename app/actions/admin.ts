"use server";

import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { z } from "zod";
import { describeAdminTarget, endSessionAsAdmin } from "@/lib/auth/admin-sessions";
import { audit } from "@/lib/auth/audit";
import { openAdminRequest } from "@/lib/next/admin";
import { confirmPasswordPath } from "@/lib/next/reauthentication";
import { commitSession } from "@/lib/next/session";
import { getServices } from "@/lib/services";
import { SESSION_ID_SHAPE, sessionIdLabel } from "@/lib/session/token";

export interface AdminActionState {
  ok: boolean;
  /** What happened, in words; announced to screen readers. */
  message: string;
}

const endSessionSchema = z.object({
  id: z.string().trim().regex(SESSION_ID_SHAPE),
  /** Where to go afterwards: the detail page of an ended session has nothing left to show. */
  returnTo: z.enum(["list", "detail"]).default("list"),
});

/** "End session" in /admin/sessions: the holder's next visit to /login says an administrator ended it. */
export async function endSessionAction(
  _previous: AdminActionState | undefined,
  formData: FormData,
): Promise<AdminActionState> {
  const parsed = endSessionSchema.safeParse({
    id: formData.get("id"),
    returnTo: formData.get("returnTo") ?? undefined,
  });
  const access = await openAdminRequest();
  if (!access.ok && access.reauthenticate) {
    const from = parsed.success && parsed.data.returnTo === "detail" ? `/${encodeURIComponent(parsed.data.id)}` : "";
    redirect(confirmPasswordPath(`/admin/sessions${from}`));
  }
  if (!access.ok) return { ok: false, message: access.message };
  const { session, user } = access;
  const { engine } = await getServices();
  if (!engine.capabilities.canRevoke) {
    await commitSession(session);
    return { ok: false, message: engine.description.listingNote ?? "This engine cannot end sessions." };
  }
  const tokenHash = session.tokenHash;
  const ended = parsed.success ? await endSessionAsAdmin(session.store, parsed.data.id) : null;
  const label = parsed.success ? sessionIdLabel(parsed.data.id) : "";
  if (ended?.ok && parsed.success) {
    audit("admin.session_ended", {
      userId: user.id,
      tokenHash,
      detail: describeAdminTarget(parsed.data.id, ended.userId),
    });
  }
  await commitSession(session);
  if (!ended?.ok) return { ok: false, message: "That session had already ended, or moved to a new id at a login." };
  revalidatePath("/admin/sessions");
  if (parsed.success && parsed.data.returnTo === "detail")
    redirect(`/admin/sessions?ended=${encodeURIComponent(parsed.data.id)}`);
  return {
    ok: true,
    message: `Session ${label} ended. ${ended.userId ? "Its user's" : "Its visitor's"} next visit to the login page says an administrator ended it.`,
  };
}
