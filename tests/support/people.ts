/**
 * People, organisations and topics for integration tests, numbered per test file so names and
 * emails never collide within one database.
 */
import { createOrganisation } from "~/models/organisation.server";
import { createTopic } from "~/models/topic.server";
import { createUser } from "~/models/user.server";
import type { RoleName } from "~db/schema";

export function testPeople({ person, emailPrefix, topicLabel, defaultRoles }: { person: string; emailPrefix: string; topicLabel: { de: string; en: string }; defaultRoles: RoleName[] }) {
  let counter = 0;

  function makeUser(roles: RoleName[] = defaultRoles, timeZone = "Europe/Berlin") {
    counter += 1;
    const created = createUser({
      name: `${person} ${counter}`,
      email: `${emailPrefix}-${counter}-${Date.now()}@${emailPrefix}s.example`,
      passwordHash: "not-a-real-hash",
      locale: "de",
      timeZone,
      roles,
    });
    if (!created) throw new Error("test user could not be created");
    return created;
  }

  function makeOrganisation(userId: string, name = "Verein Beispiel") {
    return createOrganisation(userId, { name, kind: "association", sizeBand: "upTo50", region: "DE-BE", website: null });
  }

  function makeTopic(actorUserId: string) {
    counter += 1;
    const result = createTopic(actorUserId, {
      labelDe: `${topicLabel.de} ${counter}`,
      labelEn: `${topicLabel.en} ${counter}`,
      descriptionDe: "Beschreibung",
      descriptionEn: "Description",
    });
    if (!result.ok) throw new Error("test topic could not be created");
    return result.topicId;
  }

  return { makeUser, makeOrganisation, makeTopic };
}
