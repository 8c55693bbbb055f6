/**
 * A text field of a submitted form, or undefined when the field is missing. A file upload under
 * that name also reads as missing: actions here take only text, and a File must not pass as one.
 */
export function readTextField(formData: FormData, name: string): string | undefined {
  const value = formData.get(name);
  return typeof value === "string" ? value : undefined;
}
