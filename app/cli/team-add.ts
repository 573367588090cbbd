/** `npm run team:add -- EMAIL`: gives an existing account the team role (the very first one, say). */
import { getDb } from "~/db.server";
import { recordAuditEvent } from "~/models/audit.server";
import { getUserByEmail } from "~/models/user.server";
import { migrateDatabase } from "~db/migrate";
import { userRoles } from "~db/schema";

const email = process.argv[2];
if (!email) {
  console.error("Usage: npm run team:add -- EMAIL   (the person signs up first)");
  process.exit(2);
}

const db = getDb();
migrateDatabase(db);
const user = getUserByEmail(email);
if (!user) {
  console.error(`No account with the email ${email}. The person must sign up first.`);
  process.exit(1);
}
db.transaction((tx) => {
  tx.insert(userRoles).values({ userId: user.id, role: "team" }).onConflictDoNothing().run();
  recordAuditEvent(tx, { actorUserId: null, subjectUserId: user.id, action: "team_role.granted", detail: { via: "cli" } });
});
console.log(`${user.name} <${user.email}> now has the team role.`);
