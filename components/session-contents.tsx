import type { ReactNode } from "react";
import { jsonTypeOf, type JsonValue } from "@/lib/session/json";
import { cx } from "./ui";

/**
 * Keys up to this many characters stay on one line ("cart", "last_login"), so the value column,
 * which wraps anywhere, gives way first; longer keys (up to 128) wrap rather than widen the table.
 */
const ONE_LINE_KEY = 16;

/** The session dictionary as a table: key, JSON value and JSON type. */
export function SessionContents({ items }: { items: [string, JsonValue][] }): ReactNode {
  return (
    <div className="overflow-x-auto">
      <table className="w-full text-left text-sm">
        <caption className="mb-2 text-left text-sm font-medium text-stone-600 dark:text-stone-400">
          Session contents
        </caption>
        <thead>
          <tr className="border-b border-stone-200 dark:border-stone-800">
            <th scope="col" className="py-2 pr-4 font-medium">
              Key
            </th>
            <th scope="col" className="py-2 pr-4 font-medium">
              Value (JSON)
            </th>
            <th scope="col" className="py-2 font-medium">
              Type
            </th>
          </tr>
        </thead>
        <tbody>
          {items.length === 0 ? (
            <tr>
              <td colSpan={3} className="py-3 text-stone-600 dark:text-stone-400">
                The session is empty.
              </td>
            </tr>
          ) : (
            items.map(([key, value]) => (
              <tr key={key} className="border-b border-stone-100 align-top last:border-0 dark:border-stone-800">
                <th
                  scope="row"
                  className={cx(
                    "py-2 pr-4 font-mono font-normal",
                    key.length <= ONE_LINE_KEY ? "whitespace-nowrap" : "break-all",
                  )}
                >
                  {key}
                </th>
                <td className="py-2 pr-4 font-mono break-all">{JSON.stringify(value)}</td>
                <td className="py-2 text-stone-600 dark:text-stone-400">{jsonTypeOf(value)}</td>
              </tr>
            ))
          )}
        </tbody>
      </table>
    </div>
  );
}
