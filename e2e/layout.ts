import type { Locator } from "@playwright/test";

/**
 * The blank space, in CSS pixels, between a field's label and whatever is drawn above it in its
 * card: the card's padding edge, or the bottom of the nearest text or control above.
 */
export function spaceAboveField(field: Locator): Promise<number> {
  return field.evaluate((input) => {
    const label = (input as HTMLInputElement).labels?.[0] ?? input;
    const card = input.closest("section");
    if (!card) throw new Error("the field is not inside a card");
    const style = getComputedStyle(card);
    const top = label.getBoundingClientRect().top;
    let above = card.getBoundingClientRect().top + parseFloat(style.borderTopWidth) + parseFloat(style.paddingTop);
    for (const element of card.querySelectorAll("*")) {
      if (element.contains(label) || label.contains(element)) continue;
      const box = element.getBoundingClientRect();
      if (box.width > 0 && box.height > 0 && box.bottom <= top + 0.5) above = Math.max(above, box.bottom);
    }
    return top - above;
  });
}
