import type { Metadata } from "next";
import type { ReactNode } from "react";
import { Card, Code } from "@/components/ui";
import { formatTime } from "@/lib/format";
import { getServices } from "@/lib/services";

export const metadata: Metadata = { title: "Status" };

interface MigrationRow {
  migration_name: string;
  finished_at: string | null;
}

/** Whether the database is reachable and which schema it runs: one row, and no session read. */
export default async function StatusPage(): Promise<ReactNode> {
  const { db } = await getServices();
  const [latest] = await db.$queryRaw<MigrationRow[]>`
    SELECT migration_name, finished_at FROM _prisma_migrations
    WHERE finished_at IS NOT NULL ORDER BY finished_at DESC, migration_name DESC LIMIT 1`;
  return (
    <div className="flex max-w-xl flex-col gap-4">
      <h1 className="text-2xl font-semibold tracking-tight">Status</h1>
      <Card title="Database">
        {latest ? (
          <p>
            Ready. Schema version <Code>{latest.migration_name}</Code>
            {latest.finished_at ? `, applied ${formatTime(new Date(latest.finished_at))}` : ""}.
          </p>
        ) : (
          <p>
            No migration has been applied. Run <Code>npm run db:migrate</Code>.
          </p>
        )}
      </Card>
    </div>
  );
}
