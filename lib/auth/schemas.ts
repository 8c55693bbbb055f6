import { z } from "zod";
import { isCommonPassword } from "./common-passwords";

/** Shared by the forms and the JSON API, so both refuse the same input with the same words. */

export const MIN_PASSWORD_CHARS = 8;
/** bcrypt reads only the first 72 bytes; longer passwords are refused, never silently truncated. */
export const MAX_PASSWORD_BYTES = 72;

export function utf8Length(text: string): number {
  return new TextEncoder().encode(text).length;
}

export const emailSchema = z
  .string({ error: "Enter your email address." })
  .trim()
  .min(1, "Enter your email address.")
  .max(254, "That email address is too long.")
  .pipe(z.email("Enter a valid email address, like name@example.com."))
  .transform((email) => email.toLowerCase());

export const newPasswordSchema = z
  .string({ error: "Enter a password." })
  .refine((pw) => [...pw].length >= MIN_PASSWORD_CHARS, `Use at least ${MIN_PASSWORD_CHARS} characters.`)
  .refine(
    (pw) => utf8Length(pw) <= MAX_PASSWORD_BYTES,
    `Use at most ${MAX_PASSWORD_BYTES} bytes: about 72 letters, fewer with accents or emoji.`,
  )
  .refine(
    (pw) => !isCommonPassword(pw),
    "This password is one of the 10,000 most common. Choose one that is harder to guess.",
  );

export const credentialsSchema = z.object({
  email: emailSchema,
  password: newPasswordSchema,
});

export const registerFormSchema = credentialsSchema
  .extend({ confirmPassword: z.string({ error: "Confirm your password." }) })
  .refine((form) => form.password === form.confirmPassword, {
    path: ["confirmPassword"],
    message: "The passwords do not match.",
  });

export const loginSchema = z.object({
  email: emailSchema,
  // No length rules at login: a wrong password gets the generic error, not a hint.
  password: z
    .string({ error: "Enter your password." })
    .min(1, "Enter your password.")
    .max(1024, "That password is too long."),
  remember: z.boolean().default(false),
});

export type Credentials = z.infer<typeof credentialsSchema>;
export type LoginInput = z.infer<typeof loginSchema>;

export const changePasswordFormSchema = z
  .object({
    currentPassword: z.string({ error: "Enter your current password." }).min(1, "Enter your current password."),
    newPassword: newPasswordSchema,
    confirmPassword: z.string({ error: "Confirm the new password." }),
  })
  .refine((form) => form.newPassword === form.confirmPassword, {
    path: ["confirmPassword"],
    message: "The new passwords do not match.",
  });

export const deleteAccountSchema = z.object({
  password: z.string({ error: "Enter your password to confirm." }).min(1, "Enter your password to confirm."),
});

/** Sudo mode's confirmation: the password alone, without length rules (a wrong one is simply wrong). */
export const confirmPasswordSchema = z.object({
  password: z
    .string({ error: "Enter your password." })
    .min(1, "Enter your password.")
    .max(1024, "That password is too long."),
});
