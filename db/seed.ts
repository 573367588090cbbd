import path from "node:path";
import { fileURLToPath } from "node:url";
import { hashPassword } from "~/auth.server";
import type { TandemDatabase } from "~/db.server";
import {
  coachOffers,
  memberships,
  offerAvailability,
  offerLanguages,
  offerTopics,
  organisations,
  userRoles,
  users,
  type AccessOption,
  type LanguageCode,
  type LocaleCode,
  type OrganisationKind,
  type OrganisationSizeBand,
  type RegionCode,
  type RoleName,
  type SessionFormat,
  type topicLevels,
} from "~db/schema";

export const demoPassword = "tandem-demo-2026";

export const demoLogins = [
  { email: "team@tandem.example", role: "Team member (also coach)" },
  { email: "team2@tandem.example", role: "Team member (also coach)" },
  { email: "coach@tandem.example", role: "Coach" },
  { email: "requester@tandem.example", role: "Requester" },
  { email: "both@tandem.example", role: "Coach and requester" },
] as const;

type DemoOrganisation = readonly [
  slug: string,
  name: string,
  kind: OrganisationKind,
  sizeBand: OrganisationSizeBand,
  region: RegionCode,
  hasWebsite: boolean,
];

// The slug doubles as the host name on the reserved .example TLD, so no link ever reaches a real site.
// prettier-ignore
const demoOrganisations = [
  ["sportverein-musterhausen", "Sportverein Musterhausen 1921 e.V.", "association", "upTo250", "DE-NW", true],
  ["tafel-beispielstadt", "Tafel Beispielstadt e.V.", "association", "upTo50", "DE-NI", true],
  ["buergerstiftung-fantasiedorf", "Bürgerstiftung Fantasiedorf", "foundation", "upTo10", "DE-BY", true],
  ["gemeinde-musterhausen", "Gemeinde Musterhausen", "municipality", "upTo250", "DE-NW", true],
  ["ev-kirche-beispielstadt", "Ev. Kirchengemeinde Beispielstadt-Nord", "parish", "upTo50", "DE-NI", true],
  ["repair-cafe-fantasiedorf", "Repair-Café Fantasiedorf", "initiative", "upTo10", "DE-BY", false],
  ["kulturverein-altbeispiel", "Kulturverein Altbeispiel e.V.", "association", "upTo50", "DE-SN", true],
  ["stadt-beispielburg", "Stadt Beispielburg – Büro für Bürgerengagement", "municipality", "over250", "DE-BW", true],
  ["kath-pfarrei-musterau", "Kath. Pfarrei St. Beispiel Musterau", "parish", "upTo250", "DE-BW", true],
  ["fluechtlingshilfe-musterstedt", "Flüchtlingshilfe Musterstedt e.V.", "association", "upTo50", "DE-HE", true],
  ["nachbarschaftshilfe-beispielkiez", "Nachbarschaftshilfe Beispielkiez", "initiative", "upTo50", "DE-BE", false],
  ["stiftung-lesefreude-musterland", "Stiftung Lesefreude Musterland", "foundation", "upTo50", "DE-HH", true],
  ["feuerwehr-fantasiedorf", "Förderverein Freiwillige Feuerwehr Fantasiedorf e.V.", "association", "upTo50", "DE-RP", false],
  ["jugendring-musterkreis", "Kreisjugendring Musterkreis e.V.", "association", "upTo250", "DE-BB", true],
  ["amt-musterheide", "Amt Musterheide", "municipality", "upTo50", "DE-MV", true],
  ["hospizverein-beispielhafen", "Hospizverein Beispielhafen e.V.", "association", "upTo250", "DE-HB", true],
  ["umweltinitiative-musterdorf", "Umweltinitiative Grünes Musterdorf", "initiative", "upTo10", "DE-SH", false],
  ["heimatverein-fantasietal", "Heimatverein Fantasietal e.V.", "association", "upTo50", "DE-TH", true],
  ["tierschutzverein-beispielsee", "Tierschutzverein Beispielsee e.V.", "association", "upTo50", "DE-SL", true],
  ["seniorenbuero-musterstadt", "Seniorenbüro Musterstadt", "municipality", "upTo10", "DE-ST", true],
  ["diakonie-beispielkreis", "Diakonisches Werk Beispielkreis", "other", "over250", "DE-NW", true],
  ["mehrgenerationenhaus-musterberg", "Mehrgenerationenhaus Musterberg e.V.", "association", "upTo50", "DE-TH", true],
  ["stiftung-zukunft-fantasiestadt", "Stiftung Zukunft Fantasiestadt", "foundation", "upTo250", "DE-BE", true],
  ["chor-beispielheim", "Gemischter Chor Harmonie Beispielheim e.V.", "association", "upTo50", "DE-HE", false],
  ["foodsharing-musterstadt", "Foodsharing-Initiative Musterstadt", "initiative", "upTo250", "DE-ST", false],
  ["kirchengemeinde-fantasiehafen", "Ev.-Luth. Kirchengemeinde Fantasiehafen", "parish", "upTo250", "DE-HH", true],
  ["landfrauen-musterwiese", "LandFrauenverein Musterwiese e.V.", "association", "upTo250", "DE-SH", true],
  ["gemeinde-beispielfelde", "Gemeinde Beispielfelde", "municipality", "upTo10", "DE-BB", false],
  ["lernpaten-beispielstadt", "Lernpaten Beispielstadt e.V.", "association", "upTo50", "DE-SN", true],
  ["klimastiftung-musterkueste", "Klimastiftung Musterküste", "foundation", "upTo10", "DE-MV", true],
  ["fahrradinitiative-fantasiestadt", "Fahrrad-Initiative Fantasiestadt", "initiative", "upTo50", "DE-HB", false],
  ["dorfladen-musterbach", "Dorfladen Musterbach eG", "other", "upTo50", "DE-RP", true],
  ["pfarrei-fantasieberg", "Kath. Pfarreiengemeinschaft Fantasieberg", "parish", "upTo50", "DE-BY", false],
  ["integrationsrat-beispielhausen", "Integrationsrat der Stadt Beispielhausen", "municipality", "upTo50", "DE-SL", true],
  ["brueckenbau-musterstadt", "Brückenbau – Migrantinnen in Musterstadt e.V.", "association", "upTo50", "DE-NI", true],
  ["ehrenamtsagentur-beispielkreis", "Ehrenamtsagentur Beispielkreis", "other", "upTo10", "DE-BW", true],
  ["landesstiftung-beispielland", "Landesstiftung Engagement Beispielland", "foundation", "over250", "DE-NW", true],
  ["inklusion-fantasiedorf", "Inklusion jetzt! Fantasiedorf", "initiative", "upTo10", "DE-SN", false],
  ["partnerverein-beispielwien", "Partnerschaftsverein Beispielwien–Musterhausen", "association", "upTo10", "outside", true],
  ["sportjugend-musterland", "Sportjugend Musterland e.V.", "association", "over250", "DE-HE", true],
] as const satisfies readonly DemoOrganisation[];

type OrganisationSlug = (typeof demoOrganisations)[number][0];

type DemoUser = readonly [
  name: string,
  email: string,
  roles: readonly RoleName[],
  organisations: readonly [OrganisationSlug, ...OrganisationSlug[]],
  locale?: LocaleCode,
  timeZone?: string,
];

// Team members coach too, so the team can step in when no other coach fits a request.
const teamRoles: readonly RoleName[] = ["team", "coach"];
const coachRoles: readonly RoleName[] = ["coach"];
const requesterRoles: readonly RoleName[] = ["requester"];
const coachAndRequesterRoles: readonly RoleName[] = ["coach", "requester"];

// prettier-ignore
const demoUsers: readonly DemoUser[] = [
  ["Katrin Vogel", "team@tandem.example", teamRoles, ["landesstiftung-beispielland"]],
  ["Mehmet Yilmaz", "team2@tandem.example", teamRoles, ["ehrenamtsagentur-beispielkreis"]],
  ["Sabine Hoffmann", "coach@tandem.example", coachRoles, ["diakonie-beispielkreis"]],
  ["Lukas Neumann", "requester@tandem.example", requesterRoles, ["sportverein-musterhausen"]],
  ["Aylin Demir", "both@tandem.example", coachAndRequesterRoles, ["kulturverein-altbeispiel", "lernpaten-beispielstadt"]],

  ["Thomas Becker", "thomas.becker@tandem.example", coachRoles, ["sportverein-musterhausen", "sportjugend-musterland"]],
  ["Monika Krüger", "monika.krueger@buergerstiftung-fantasiedorf.example", coachRoles, ["buergerstiftung-fantasiedorf"]],
  ["Andreas Wolf", "andreas.wolf@tandem.example", coachRoles, ["stadt-beispielburg"]],
  ["Petra Schäfer", "petra.schaefer@diakonie-beispielkreis.example", coachRoles, ["diakonie-beispielkreis"]],
  ["Emily Carter", "emily.carter@tandem.example", coachRoles, ["stiftung-zukunft-fantasiestadt"], "en"],
  ["Jürgen Weiß", "juergen.weiss@heimatverein-fantasietal.example", coachRoles, ["heimatverein-fantasietal", "mehrgenerationenhaus-musterberg"]],
  ["Claudia Richter", "claudia.richter@tandem.example", coachRoles, ["landesstiftung-beispielland"]],
  ["Stefan Braun", "stefan.braun@ev-kirche-beispielstadt.example", coachRoles, ["ev-kirche-beispielstadt"]],
  ["Verena Huber", "verena.huber@partnerverein-beispielwien.example", coachRoles, ["partnerverein-beispielwien"], "de", "Europe/Vienna"],
  ["Birgit Lange", "birgit.lange@hospizverein-beispielhafen.example", coachRoles, ["hospizverein-beispielhafen"]],
  ["Tomasz Nowak", "tomasz.nowak@tandem.example", coachRoles, ["jugendring-musterkreis"]],
  ["Ute Zimmermann", "ute.zimmermann@landfrauen-musterwiese.example", coachRoles, ["landfrauen-musterwiese"]],
  ["Michael Hartmann", "michael.hartmann@gemeinde-musterhausen.example", coachRoles, ["gemeinde-musterhausen"]],
  ["Gabriele König", "gabriele.koenig@tandem.example", coachRoles, ["stiftung-lesefreude-musterland"]],
  ["Lars Eriksen", "lars.eriksen@tandem.example", coachRoles, ["klimastiftung-musterkueste"], "en"],
  ["Renate Schulz", "renate.schulz@seniorenbuero-musterstadt.example", coachRoles, ["seniorenbuero-musterstadt"]],
  ["Frank Meyer", "frank.meyer@kath-pfarrei-musterau.example", coachRoles, ["kath-pfarrei-musterau"]],

  ["Julia Fischer", "julia.fischer@fluechtlingshilfe-musterstedt.example", coachAndRequesterRoles, ["fluechtlingshilfe-musterstedt"]],
  ["Fatima Haddad", "fatima.haddad@brueckenbau-musterstadt.example", coachAndRequesterRoles, ["brueckenbau-musterstadt", "integrationsrat-beispielhausen"]],
  ["Christian Wagner", "christian.wagner@jugendring-musterkreis.example", coachAndRequesterRoles, ["jugendring-musterkreis"]],
  ["Reto Meier", "reto.meier@tandem.example", coachAndRequesterRoles, ["partnerverein-beispielwien"], "de", "Europe/Zurich"],

  ["Lena Schmitt", "lena.schmitt@tafel-beispielstadt.example", requesterRoles, ["tafel-beispielstadt"]],
  ["Jonas Klein", "jonas.klein@tafel-beispielstadt.example", requesterRoles, ["tafel-beispielstadt"]],
  ["Marie Schröder", "marie.schroeder@repair-cafe-fantasiedorf.example", requesterRoles, ["repair-cafe-fantasiedorf"]],
  ["Felix Koch", "felix.koch@kulturverein-altbeispiel.example", requesterRoles, ["kulturverein-altbeispiel"]],
  ["Sophie Bauer", "sophie.bauer@nachbarschaftshilfe-beispielkiez.example", requesterRoles, ["nachbarschaftshilfe-beispielkiez"]],
  ["Paul Schwarz", "paul.schwarz@feuerwehr-fantasiedorf.example", requesterRoles, ["feuerwehr-fantasiedorf"]],
  ["Hannah Zimmer", "hannah.zimmer@amt-musterheide.example", requesterRoles, ["amt-musterheide"]],
  ["Olga Petrenko", "olga.petrenko@brueckenbau-musterstadt.example", requesterRoles, ["brueckenbau-musterstadt"], "en"],
  ["Maximilian Krause", "maximilian.krause@umweltinitiative-musterdorf.example", requesterRoles, ["umweltinitiative-musterdorf"]],
  ["Anna Schmidt", "anna.schmidt@tierschutzverein-beispielsee.example", requesterRoles, ["tierschutzverein-beispielsee"]],
  ["Erik Lorenz", "erik.lorenz@mehrgenerationenhaus-musterberg.example", requesterRoles, ["mehrgenerationenhaus-musterberg"]],
  ["Laura Werner", "laura.werner@chor-beispielheim.example", requesterRoles, ["chor-beispielheim"]],
  ["Niklas Hahn", "niklas.hahn@foodsharing-musterstadt.example", requesterRoles, ["foodsharing-musterstadt"]],
  ["Katharina Frank", "katharina.frank@kirchengemeinde-fantasiehafen.example", requesterRoles, ["kirchengemeinde-fantasiehafen"]],
  ["Dieter Roth", "dieter.roth@gemeinde-beispielfelde.example", requesterRoles, ["gemeinde-beispielfelde"]],
  ["Miriam Engel", "miriam.engel@lernpaten-beispielstadt.example", requesterRoles, ["lernpaten-beispielstadt"]],
  ["João Pereira", "joao.pereira@fahrradinitiative-fantasiestadt.example", requesterRoles, ["fahrradinitiative-fantasiestadt"], "en"],
  ["Sandra Keller", "sandra.keller@dorfladen-musterbach.example", requesterRoles, ["dorfladen-musterbach"]],
  ["Matthias Vogt", "matthias.vogt@pfarrei-fantasieberg.example", requesterRoles, ["pfarrei-fantasieberg"]],
  ["Elif Kaya", "elif.kaya@integrationsrat-beispielhausen.example", requesterRoles, ["integrationsrat-beispielhausen"]],
  ["Tobias Berger", "tobias.berger@inklusion-fantasiedorf.example", requesterRoles, ["inklusion-fantasiedorf"]],
  ["Nina Schuster", "nina.schuster@sportjugend-musterland.example", requesterRoles, ["sportjugend-musterland"]],
  ["Helga Brandt", "helga.brandt@landfrauen-musterwiese.example", requesterRoles, ["landfrauen-musterwiese"]],
  ["David Friedrich", "david.friedrich@sportverein-musterhausen.example", requesterRoles, ["sportverein-musterhausen"]],
  ["Sarah Lehmann", "sarah.lehmann@stadt-beispielburg.example", requesterRoles, ["stadt-beispielburg", "ehrenamtsagentur-beispielkreis"]],
  ["Moritz Graf", "moritz.graf@hospizverein-beispielhafen.example", requesterRoles, ["hospizverein-beispielhafen"]],
  ["Ingrid Sommer", "ingrid.sommer@seniorenbuero-musterstadt.example", requesterRoles, ["seniorenbuero-musterstadt"]],
];

/*
 * Coach offers. Every user with the coach role gets one, built from the tables below: the n-th coach
 * (in demoUsers order) takes the n-th entry of each table, wrapping around. Every table is shorter than
 * the list of coaches, so every entry, and with it every value of each vocabulary, is used at least once.
 * The third coach is the demo login coach@tandem.example; the third entries are the fullest ones.
 */

/** Topics added by migration 0002_seed-topics. */
type SeedTopicId = "topic-onboarding" | "topic-accessibility" | "topic-mobile" | "topic-hosting";
type TopicLevel = (typeof topicLevels)[number];

// Each coach takes the next 1–3 of these in order. The topics repeat in a fixed cycle of four, so the
// entries one coach takes never share a topic; the first three rounds hold every topic at every level.
// prettier-ignore
const topicExperiences: readonly (readonly [topicId: SeedTopicId, level: TopicLevel, note: string])[] = [
  ["topic-onboarding", 1, "Habe in unserem Verein die ersten Räume angelegt und alle eingeladen."],
  ["topic-accessibility", 2, "Haben unsere Beiträge auf Leichte Sprache und Bildbeschreibungen umgestellt."],
  ["topic-mobile", 3, "Habe in drei Vereinen die Einführung der HumHub-App begleitet."],
  ["topic-hosting", 1, "Spiele die Updates auf unserer gehosteten Instanz ein."],

  ["topic-onboarding", 2, "Haben 2023 unseren Verein auf HumHub umgezogen."],
  ["topic-accessibility", 3, "Habe unsere Instanz mit blinden Mitgliedern für Screenreader angepasst."],
  ["topic-mobile", 1, "Nutze HumHub fast nur auf dem Handy und erkläre die App gern weiter."],
  ["topic-hosting", 2, "Betreiben unsere Instanz selbst auf einem gemieteten Server, mit nächtlicher Sicherung."],

  ["topic-onboarding", 3, "Habe zwölf Gruppen beim Umstieg von E-Mail-Verteilern auf HumHub begleitet."],
  ["topic-accessibility", 1, "Achte in unseren Räumen auf gute Kontraste und einfache Sprache."],
  ["topic-mobile", 2, "Haben die Dienstpläne unserer Ehrenamtlichen aufs Handy gebracht."],
  ["topic-hosting", 3, "Betreue mehrere HumHub-Server samt Datenschutzkonzept und Auftragsverarbeitung."],

  ["topic-onboarding", 1, "Zeige Neuen in unserer Gruppe die ersten Schritte."],
  ["topic-accessibility", 2, "Haben Untertitel für unsere Videotreffen eingeführt."],
  ["topic-mobile", 3, "Habe über hundert Ehrenamtliche in der HumHub-App geschult."],
  ["topic-hosting", 2, "Haben den Umzug unserer Instanz zu einem Hoster in Deutschland organisiert."],

  ["topic-onboarding", 2, "Haben Vorstandsarbeit und Protokolle in HumHub-Räume verlegt."],
  ["topic-accessibility", 1, "Teile gern unsere Checkliste für barrierearme Räume."],
  ["topic-mobile", 2, "Habe die Benachrichtigungen so eingestellt, dass niemand mehr überflutet wird."],
  ["topic-hosting", 3, "Habe Updates, Überwachung und Wiederherstellung für eine landesweite Instanz aufgebaut."],
];

const topicCounts = [2, 1, 3, 2, 3, 1] as const;

// Everyone coaches in German; these coaches speak more.
const additionalLanguages: Readonly<Record<string, readonly LanguageCode[]>> = {
  "team@tandem.example": ["en"],
  "team2@tandem.example": ["tr", "en"],
  "coach@tandem.example": ["en", "fr"],
  "both@tandem.example": ["tr", "en"],
  "andreas.wolf@tandem.example": ["en"],
  "petra.schaefer@diakonie-beispielkreis.example": ["ru"],
  "emily.carter@tandem.example": ["en", "es"],
  "tomasz.nowak@tandem.example": ["pl", "en"],
  "lars.eriksen@tandem.example": ["en"],
  "renate.schulz@seniorenbuero-musterstadt.example": ["ro"],
  "julia.fischer@fluechtlingshilfe-musterstedt.example": ["en", "uk", "fa"],
  "fatima.haddad@brueckenbau-musterstadt.example": ["ar", "fr", "en"],
  "christian.wagner@jugendring-musterkreis.example": ["en", "es"],
  "reto.meier@tandem.example": ["fr", "it", "en"],
};

const formatChoices: readonly (readonly SessionFormat[])[] = [
  ["video", "phone"],
  ["video"],
  ["video", "phone", "inPerson"],
  ["phone"],
  ["video", "inPerson"],
];

const travelDistancesKm = [30, 80, 25, 150, 10, 50] as const;

// In person, coaches meet people where their organisation is, except those living across the border.
const inPersonRegionOverrides: Readonly<Record<string, RegionCode>> = {
  "verena.huber@partnerverein-beispielwien.example": "DE-BY",
  "reto.meier@tandem.example": "DE-BW",
};

const accessSupportChoices: readonly (readonly AccessOption[])[] = [
  [],
  ["plainLanguage"],
  ["captions", "plainLanguage", "lowBandwidth"],
  ["lowBandwidth"],
  [],
  ["screenReader", "plainLanguage"],
  ["signLanguage", "captions"],
];

/** Weekday 1 = Monday; hours in the coach's local time, 12.5 being 12:30. */
type WeeklyWindow = readonly [weekday: number, fromHour: number, toHour: number];

// prettier-ignore
const availabilityPatterns: readonly (readonly WeeklyWindow[])[] = [
  [[2, 18, 20], [4, 18, 20]], // Tuesday and Thursday evenings
  [[6, 9.5, 12]], // Saturday morning
  [[1, 12, 13], [3, 12, 13], [3, 18, 20], [6, 10, 12]], // lunchtimes, an evening, Saturday morning
  [[2, 9, 12], [4, 14, 17]], // daytime blocks during working hours
  [[1, 18, 20], [6, 10, 12]],
  [[3, 12.5, 13.5]], // a lunch break
  [[1, 9, 12], [3, 9, 12], [5, 13, 15]], // office hours
];

const capacitiesPerMonth = [3, 2, 4, 1, 6, 2, 8, 5] as const;

const pausedUntilByEmail: Readonly<Record<string, string>> = {
  "birgit.lange@hospizverein-beispielhafen.example": "2027-02-28",
  "lars.eriksen@tandem.example": "2027-06-30",
};

// A bio is where the coach works, by kind of organisation, followed by how they like to coach.
const bioIntroductions: Readonly<Record<OrganisationKind, string>> = {
  association: "Ich bin ehrenamtlich im Vorstand unseres Vereins und kümmere mich dort um HumHub.",
  foundation: "In unserer Stiftung habe ich den Austausch mit den geförderten Projekten auf HumHub aufgebaut.",
  municipality: "In der Verwaltung betreue ich die Plattform, auf der sich die Engagierten im Ort vernetzen.",
  parish: "In unserer Kirchengemeinde organisiere ich die Ehrenamtlichen, seit zwei Jahren über HumHub.",
  initiative: "In unserer Initiative halte ich die Fäden zusammen, digital vor allem über HumHub.",
  other: "Ich begleite in unserem Haus Teams und Einrichtungen bei der digitalen Zusammenarbeit.",
};

const coachingStyles = [
  "Ich erkläre Schritt für Schritt und ohne Fachchinesisch.",
  "Mir ist wichtig, dass am Ende alle mitkommen, auch wer wenig mit Technik zu tun hat.",
  "Am liebsten lösen wir gemeinsam ein konkretes Problem direkt in Ihrer Instanz.",
  "Ich erzähle gern auch, was bei uns schiefgegangen ist, damit Sie es leichter haben.",
  "Technische und organisatorische Fragen sind gleichermaßen willkommen.",
] as const;

/** The entry for the coach at `position`, wrapping around the table. */
function rotate<T>(table: readonly T[], position: number): T {
  return table[position % table.length]!;
}

const germanTransliterations: Record<string, string> = { ä: "ae", ö: "oe", ü: "ue", ß: "ss" };

/** "Jürgen Weiß" becomes "juergen.weiss", the way HumHub instances commonly name accounts. */
function humhubUsernameFor(name: string) {
  return name
    .toLowerCase()
    .replace(/[äöüß]/g, (letter) => germanTransliterations[letter] ?? letter)
    .normalize("NFD")
    .replace(/[^a-z\s-]/g, "")
    .trim()
    .replace(/\s+/g, ".");
}

/** Fills an empty database with fictional demo data; a database that has any user is left alone. */
export async function seedDemoData(
  db: TandemDatabase,
): Promise<{ seeded: boolean; users: number; organisations: number }> {
  const existingUser = db.select({ id: users.id }).from(users).limit(1).get();
  if (existingUser) return { seeded: false, users: 0, organisations: 0 };

  // Argon2 is deliberately slow; one hash shared by all demo accounts keeps seeding fast.
  const passwordHash = await hashPassword(demoPassword);
  const now = new Date();

  const organisationIds = Object.fromEntries(
    demoOrganisations.map(([slug]) => [slug, crypto.randomUUID()]),
  ) as Record<OrganisationSlug, string>;

  const seededUsers = demoUsers.map(
    ([name, email, roles, organisationSlugs, locale = "de", timeZone = "Europe/Berlin"], index) => ({
      row: {
        id: crypto.randomUUID(),
        email,
        name,
        passwordHash,
        locale,
        timeZone,
        // Linking HumHub is optional, so half the accounts have it and both states show up in the UI.
        humhubUsername: index % 2 === 0 ? humhubUsernameFor(name) : null,
        privacyConsentAt: now,
      },
      roles,
      organisationSlugs,
    }),
  );
  const roleRows = seededUsers.flatMap(({ row, roles }) =>
    roles.map((role) => ({ userId: row.id, role })),
  );
  const membershipRows = seededUsers.flatMap(({ row, organisationSlugs }) =>
    organisationSlugs.map((slug) => ({ organisationId: organisationIds[slug], userId: row.id })),
  );

  // The first listed member stands in as the person who registered the organisation.
  const creatorIdByOrganisationId = new Map<string, string>();
  for (const { organisationId, userId } of membershipRows) {
    if (!creatorIdByOrganisationId.has(organisationId)) {
      creatorIdByOrganisationId.set(organisationId, userId);
    }
  }

  const organisationRows = demoOrganisations.map(
    ([slug, name, kind, sizeBand, region, hasWebsite]) => ({
      id: organisationIds[slug],
      name,
      kind,
      sizeBand,
      region,
      website: hasWebsite ? `https://${slug}.example` : null,
      createdByUserId: creatorIdByOrganisationId.get(organisationIds[slug]) ?? null,
    }),
  );

  const organisationBySlug = Object.fromEntries(
    demoOrganisations.map(([slug, , kind, , region]) => [slug, { id: organisationIds[slug], kind, region }]),
  ) as Record<OrganisationSlug, { id: string; kind: OrganisationKind; region: RegionCode }>;

  // Coaches offer on behalf of the first organisation listed for them.
  let nextTopicExperience = 0;
  const offers = seededUsers
    .filter(({ roles }) => roles.includes("coach"))
    .map(({ row: coach, organisationSlugs: [mainSlug] }, position) => {
      const offerId = crypto.randomUUID();
      const organisation = organisationBySlug[mainSlug];
      const formats = rotate(formatChoices, position);
      const inPerson = formats.includes("inPerson");
      const experiences = Array.from({ length: rotate(topicCounts, position) }, () =>
        rotate(topicExperiences, nextTopicExperience++),
      );
      return {
        row: {
          id: offerId,
          userId: coach.id,
          organisationId: organisation.id,
          formats: [...formats],
          inPersonRegion: inPerson ? (inPersonRegionOverrides[coach.email] ?? organisation.region) : null,
          travelKm: inPerson ? rotate(travelDistancesKm, position) : null,
          accessSupport: [...rotate(accessSupportChoices, position)],
          capacityPerMonth: rotate(capacitiesPerMonth, position),
          pausedUntil: pausedUntilByEmail[coach.email] ?? null,
          bio: `${bioIntroductions[organisation.kind]} ${rotate(coachingStyles, position)}`,
          timeZone: coach.timeZone,
          updatedAt: now,
        },
        topics: experiences.map(([topicId, level, note]) => ({ offerId, topicId, level, note })),
        languages: ["de" as const, ...(additionalLanguages[coach.email] ?? [])].map((language) => ({
          offerId,
          language,
        })),
        windows: rotate(availabilityPatterns, position).map(([weekday, fromHour, toHour]) => ({
          offerId,
          weekday,
          startMinute: fromHour * 60,
          endMinute: toHour * 60,
        })),
      };
    });

  db.transaction((tx) => {
    tx.insert(users).values(seededUsers.map(({ row }) => row)).run();
    tx.insert(organisations).values(organisationRows).run();
    tx.insert(userRoles).values(roleRows).run();
    tx.insert(memberships).values(membershipRows).run();
    tx.insert(coachOffers).values(offers.map(({ row }) => row)).run();
    tx.insert(offerTopics).values(offers.flatMap(({ topics }) => topics)).run();
    tx.insert(offerLanguages).values(offers.flatMap(({ languages }) => languages)).run();
    tx.insert(offerAvailability).values(offers.flatMap(({ windows }) => windows)).run();
  });

  return { seeded: true, users: seededUsers.length, organisations: organisationRows.length };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  const { getDb } = await import("~/db.server");
  const { migrateDatabase } = await import("~db/migrate");
  const db = getDb();
  migrateDatabase(db);
  const result = await seedDemoData(db);
  if (!result.seeded) {
    console.log("Database already has data; seeding skipped.");
  } else {
    console.log(`Seeded ${result.users} users and ${result.organisations} organisations.`);
    console.log(`Demo logins (password: ${demoPassword}):`);
    for (const { email, role } of demoLogins) console.log(`  ${email.padEnd(28)} ${role}`);
  }
}
