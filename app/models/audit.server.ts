import type { TandemDatabase } from "~/db.server";
import { auditEvents } from "~db/schema";

type Writer = Pick<TandemDatabase, "insert">;

export type AuditEvent = {
  actorUserId: string | null;
  subjectUserId: string | null;
  action: string;
  detail?: Record<string, unknown>;
};

/** Takes the transaction so the audit row commits or rolls back with the change it records. */
export function recordAuditEvent(writer: Writer, event: AuditEvent) {
  writer.insert(auditEvents).values(event).run();
}
