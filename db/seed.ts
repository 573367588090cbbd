import path from "node:path";
import { fileURLToPath } from "node:url";
import { hashPassword } from "~/auth.server";
import type { TandemDatabase } from "~/db.server";
import { addCalendarDays, calendarToday, requestLifetimeDays } from "~/domain/requests";
import {
  coachingRequests,
  coachOffers,
  memberships,
  offerAvailability,
  offerLanguages,
  offerTopics,
  organisations,
  requestAvailability,
  requestHistory,
  requestLanguages,
  requestTopics,
  userRoles,
  users,
  type sessionLengths,
  type AccessOption,
  type LanguageCode,
  type LocaleCode,
  type OrganisationKind,
  type OrganisationSizeBand,
  type RegionCode,
  type RequestUrgency,
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

// In person, people meet where their organisation is, except those living across the border.
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

/*
 * Coaching requests. Each entry of demoRequests is one request by the user with that email; who asks for
 * what, how urgently and in which languages belongs together, so it is spelled out per request. The rest
 * (formats, access needs, windows, session length, age) rotates through the tables below by the request's
 * position, the way the coach offers do; every table is shorter than the list of requests, so every value
 * is used. A requester's n-th request is on behalf of their n-th organisation, wrapping around.
 */

/** Withdrawn some days after it was created, or created so long ago that it has expired while open. */
type RequestLifecycle =
  | readonly ["withdrawn", createdDaysAgo: number, withdrawnDaysAgo: number]
  | readonly ["expired", createdDaysAgo: number];

type DemoRequest = readonly [
  email: string,
  topics: readonly [mainTopic: SeedTopicId, ...otherTopics: SeedTopicId[]],
  urgency: RequestUrgency,
  goal: string,
  // German is always among a request's languages; these come on top.
  additionalLanguages: readonly LanguageCode[],
  lifecycle?: RequestLifecycle,
];

// The first two are the demo requester's; both of them stay open, the first has a deadline.
// prettier-ignore
const demoRequests: readonly DemoRequest[] = [
  ["requester@tandem.example", ["topic-mobile", "topic-onboarding"], "deadline", "Unser Vorstand soll HumHub auf dem Handy nutzen können. Bis zur Jahreshauptversammlung sollen alle die App eingerichtet haben.", ["en"]],
  ["requester@tandem.example", ["topic-onboarding"], "withinMonth", "Wir möchten die Trainingspläne unserer Jugendabteilung in HumHub-Räumen organisieren statt in drei Chatgruppen.", []],
  ["both@tandem.example", ["topic-accessibility", "topic-mobile"], "flexible", "Wir möchten unsere Mitgliederkommunikation barrierefrei machen, vor allem mit Bildbeschreibungen und klarer Sprache.", ["tr", "en"]],
  ["julia.fischer@fluechtlingshilfe-musterstedt.example", ["topic-onboarding", "topic-accessibility"], "withinMonth", "Neue Ehrenamtliche sollen sich ohne lange Einweisung in HumHub zurechtfinden. Wir suchen Ideen für eine einfache Willkommensseite.", ["en", "fa"]],
  ["fatima.haddad@brueckenbau-musterstadt.example", ["topic-accessibility", "topic-onboarding"], "withinWeek", "Viele unserer Mitglieder lesen Deutsch nicht sicher. Wir möchten wichtige Beiträge in einfacher Sprache und mehrsprachig anbieten.", ["ar", "fr"]],
  ["fatima.haddad@brueckenbau-musterstadt.example", ["topic-mobile"], "flexible", "Die Mitglieder sollen Sitzungsunterlagen und Einladungen bequem auf dem Handy lesen können.", ["ar", "en"]],
  ["christian.wagner@jugendring-musterkreis.example", ["topic-hosting", "topic-onboarding"], "withinMonth", "Wir wollen für unsere Mitgliedsverbände eine gemeinsame HumHub-Instanz aufsetzen und suchen Rat zu Betrieb und Rollen.", ["en"]],
  ["reto.meier@tandem.example", ["topic-hosting"], "flexible", "Unsere Instanz läuft auf einem Server in der Schweiz. Wir möchten wissen, was wir beim Datenschutz für die Mitglieder in Deutschland beachten müssen.", ["fr", "it"]],
  ["lena.schmitt@tafel-beispielstadt.example", ["topic-mobile", "topic-onboarding"], "withinWeek", "Unsere Fahrerinnen und Fahrer sollen die Tourenpläne in der HumHub-App sehen.", [], ["withdrawn", 34, 27]],
  ["lena.schmitt@tafel-beispielstadt.example", ["topic-onboarding", "topic-mobile"], "withinMonth", "Wir möchten die Schichtplanung der Ausgabestelle von Papierlisten auf HumHub umstellen.", []],
  ["jonas.klein@tafel-beispielstadt.example", ["topic-hosting"], "flexible", "Wir müssen entscheiden, ob wir HumHub selbst betreiben oder einen Anbieter beauftragen.", [], ["expired", 78]],
  ["marie.schroeder@repair-cafe-fantasiedorf.example", ["topic-onboarding"], "flexible", "Wir möchten Reparaturtermine und Ersatzteilwünsche in einem HumHub-Raum sammeln. Bisher läuft alles über E-Mail.", []],
  ["felix.koch@kulturverein-altbeispiel.example", ["topic-mobile", "topic-accessibility"], "deadline", "Für unser Sommerfest sollen alle Helferinnen und Helfer den Dienstplan auf dem Handy abrufen können.", ["en"]],
  ["sophie.bauer@nachbarschaftshilfe-beispielkiez.example", ["topic-onboarding"], "withinWeek", "Wir suchen einen einfachen Weg, Hilfsangebote und Anfragen aus der Nachbarschaft in HumHub zu sammeln.", ["en"], ["withdrawn", 22, 15]],
  ["sophie.bauer@nachbarschaftshilfe-beispielkiez.example", ["topic-accessibility", "topic-onboarding"], "withinMonth", "Ältere Nachbarinnen und Nachbarn sollen unsere Beiträge gut lesen können. Wir möchten Schriftgröße, Kontraste und Sprache verbessern.", ["tr"]],
  ["paul.schwarz@feuerwehr-fantasiedorf.example", ["topic-mobile"], "withinMonth", "Unsere Mitglieder sollen Termine und Übungsabende als Benachrichtigung auf dem Handy bekommen.", []],
  ["hannah.zimmer@amt-musterheide.example", ["topic-hosting", "topic-accessibility"], "deadline", "Vor der Ausschreibung brauchen wir Klarheit über Hosting, Auftragsverarbeitung und Updates. Die Unterlagen müssen bald in den Amtsausschuss.", []],
  ["olga.petrenko@brueckenbau-musterstadt.example", ["topic-onboarding", "topic-accessibility"], "withinWeek", "Ukrainische Familien in unserem Netzwerk sollen sich selbst in HumHub registrieren können. Dafür brauchen wir eine verständliche Anleitung.", ["uk", "ru", "en"]],
  ["maximilian.krause@umweltinitiative-musterdorf.example", ["topic-onboarding", "topic-hosting"], "flexible", "Wir sind eine kleine Gruppe und möchten ausprobieren, ob HumHub unsere Messenger-Gruppen ersetzen kann.", []],
  ["anna.schmidt@tierschutzverein-beispielsee.example", ["topic-mobile"], "withinMonth", "Unsere Gassigeherinnen und Gassigeher sollen sich per App für Termine eintragen können.", []],
  ["erik.lorenz@mehrgenerationenhaus-musterberg.example", ["topic-accessibility"], "flexible", "Besucherinnen und Besucher mit Sehbehinderung sollen HumHub mit dem Screenreader nutzen können.", [], ["expired", 84]],
  ["erik.lorenz@mehrgenerationenhaus-musterberg.example", ["topic-accessibility", "topic-mobile"], "withinMonth", "Wir möchten unser Wochenprogramm so auf HumHub veröffentlichen, dass es mit Screenreader und auf dem Handy gut lesbar ist.", []],
  ["laura.werner@chor-beispielheim.example", ["topic-onboarding", "topic-mobile"], "flexible", "Noten, Probenpläne und Aufnahmen sollen für alle Sängerinnen und Sänger an einem Ort liegen.", []],
  ["niklas.hahn@foodsharing-musterstadt.example", ["topic-mobile", "topic-hosting"], "withinWeek", "Abholungen werden spontan vergeben. Benachrichtigungen in der App sollen zuverlässig und schnell ankommen.", ["ro"]],
  ["katharina.frank@kirchengemeinde-fantasiehafen.example", ["topic-onboarding", "topic-accessibility"], "deadline", "Zum Start des neuen Konfirmandenjahrgangs sollen Eltern und Teamer in HumHub zusammenfinden.", ["en"]],
  ["dieter.roth@gemeinde-beispielfelde.example", ["topic-hosting"], "withinMonth", "Die Gemeinde möchte HumHub für die Vereine im Ort anbieten. Wir suchen Erfahrungen zu Betrieb, Kosten und Datenschutz.", ["pl"]],
  ["miriam.engel@lernpaten-beispielstadt.example", ["topic-onboarding", "topic-accessibility", "topic-mobile"], "flexible", "Unsere Lernpatinnen und Lernpaten sollen sich in HumHub austauschen, ohne dass Angaben zu den Kindern sichtbar werden.", []],
  ["joao.pereira@fahrradinitiative-fantasiestadt.example", ["topic-mobile", "topic-onboarding"], "withinMonth", "Wir möchten Radtouren und Reparaturtreffs über die HumHub-App ankündigen.", ["en", "es"]],
  ["sandra.keller@dorfladen-musterbach.example", ["topic-hosting", "topic-onboarding"], "flexible", "Unsere Genossenschaft will HumHub selbst hosten. Wir brauchen Hilfe bei Sicherungen und Updates.", []],
  ["matthias.vogt@pfarrei-fantasieberg.example", ["topic-accessibility", "topic-onboarding"], "withinMonth", "Wir möchten Gottesdienstzeiten und Neuigkeiten aus den Gemeinden in einfacher Sprache und gut lesbar veröffentlichen.", ["it"]],
  ["elif.kaya@integrationsrat-beispielhausen.example", ["topic-onboarding"], "withinWeek", "Wir möchten Migrantenorganisationen aus der Stadt zu HumHub einladen und ihnen den Einstieg leicht machen.", ["tr", "en"]],
  ["tobias.berger@inklusion-fantasiedorf.example", ["topic-accessibility"], "deadline", "Bis zu unserem Aktionstag sollen die Videos in unseren Beiträgen Untertitel haben.", []],
  ["tobias.berger@inklusion-fantasiedorf.example", ["topic-accessibility", "topic-hosting"], "flexible", "Wir möchten prüfen, welche HumHub-Module für Menschen mit Behinderung gut nutzbar sind.", [], ["withdrawn", 45, 31]],
  ["tobias.berger@inklusion-fantasiedorf.example", ["topic-mobile", "topic-accessibility"], "withinMonth", "Mitglieder mit motorischen Einschränkungen sollen die App gut mit Sprachsteuerung bedienen können.", []],
  ["nina.schuster@sportjugend-musterland.example", ["topic-onboarding", "topic-mobile"], "withinMonth", "Jugendliche Übungsleiterinnen und Übungsleiter sollen HumHub statt privater Chatgruppen nutzen.", ["en", "es"]],
  ["helga.brandt@landfrauen-musterwiese.example", ["topic-mobile", "topic-onboarding"], "flexible", "Viele unserer Mitglieder nutzen nur ein Tablet. Wir möchten ihnen zeigen, wie sie dort Neuigkeiten lesen und kommentieren.", []],
  ["david.friedrich@sportverein-musterhausen.example", ["topic-hosting", "topic-mobile"], "withinWeek", "Seit dem letzten Update lädt unsere Instanz sehr langsam. Wir möchten verstehen, wie wir sie zuverlässig betreiben.", []],
  ["sarah.lehmann@stadt-beispielburg.example", ["topic-onboarding", "topic-hosting"], "deadline", "Wir starten eine Plattform für alle Vereine der Stadt und brauchen ein Konzept für Räume und Rechte.", ["en"]],
  ["sarah.lehmann@stadt-beispielburg.example", ["topic-accessibility", "topic-onboarding"], "withinMonth", "Unsere Engagementbörse auf HumHub soll auch für Menschen mit Leseschwierigkeiten verständlich sein.", ["en"]],
  ["moritz.graf@hospizverein-beispielhafen.example", ["topic-onboarding", "topic-accessibility"], "flexible", "Wir möchten einen geschützten Raum einrichten, in dem sich unsere Sterbebegleiterinnen und -begleiter vertraulich austauschen.", ["en"]],
  ["ingrid.sommer@seniorenbuero-musterstadt.example", ["topic-accessibility", "topic-mobile"], "withinMonth", "Seniorinnen und Senioren sollen HumHub mit einfacher Sprache und großen Schaltflächen nutzen können.", []],
];

const requestFormatChoices: readonly (readonly SessionFormat[])[] = [
  ["video"],
  ["video", "phone"],
  ["video", "inPerson"],
  ["phone"],
  ["video"],
  ["inPerson"],
  ["video", "phone", "inPerson"],
];

// Most requests need no particular support.
const accessNeedChoices: readonly (readonly AccessOption[])[] = [
  [],
  ["plainLanguage"],
  [],
  [],
  ["captions"],
  [],
  ["lowBandwidth"],
  [],
  ["signLanguage", "captions"],
  [],
  ["screenReader"],
];

const requestSessionMinutes: readonly (typeof sessionLengths)[number][] = [60, 45, 90, 60, 30];

// Evenings, Saturday mornings and lunch breaks, mostly; the odd request from someone who asks during work.
// prettier-ignore
const requestAvailabilityPatterns: readonly (readonly WeeklyWindow[])[] = [
  [[2, 18, 20], [4, 18, 20]], // Tuesday and Thursday evenings
  [[6, 9, 12]], // Saturday morning
  [[1, 12, 13], [3, 12, 13]], // lunch breaks
  [[3, 18, 21], [6, 10, 12]], // Wednesday evening, Saturday morning
  [[1, 18, 21]], // Monday evening
  [[2, 12, 13], [4, 19, 21], [6, 9.5, 11.5]],
  [[2, 9, 12], [4, 14, 16]], // during working hours
  [[5, 12, 14]], // Friday lunch
];

// How many days ago open requests were created, spread over the last seven weeks.
const openRequestAgesInDays = [2, 5, 8, 11, 13, 16, 19, 22, 25, 28, 31, 33, 36, 39, 42, 45, 48, 50] as const;

// Requests with a deadline are recent, and the deadline (2–6 weeks after creation) still lies ahead.
const deadlineRequestTimings: readonly (readonly [createdDaysAgo: number, weeksToDeadline: number])[] = [
  [4, 3],
  [10, 4],
  [2, 2],
  [15, 6],
  [7, 5],
  [20, 5],
];

const DAY_MS = 86_400_000;

/** The entry for the coach (or request) at `position`, wrapping around the table. */
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
): Promise<{ seeded: boolean; users: number; organisations: number; requests: number }> {
  const existingUser = db.select({ id: users.id }).from(users).limit(1).get();
  if (existingUser) return { seeded: false, users: 0, organisations: 0, requests: 0 };

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

  const seededUserByEmail = new Map(seededUsers.map((user) => [user.row.email, user]));
  const requestCountByEmail = new Map<string, number>();
  let nextOpenRequestAge = 0;
  let nextDeadlineTiming = 0;
  const requests = demoRequests.map(([email, requestTopicIds, urgency, goal, extraLanguages, lifecycle], position) => {
    const requester = seededUserByEmail.get(email);
    if (!requester?.roles.includes("requester")) throw new Error(`Demo request by ${email}, who is no requester`);
    const { row: user, organisationSlugs } = requester;
    const nthOwnRequest = requestCountByEmail.get(email) ?? 0;
    requestCountByEmail.set(email, nthOwnRequest + 1);
    const organisation = organisationBySlug[rotate(organisationSlugs, nthOwnRequest)];

    // Withdrawn and expired requests give their own age; their deadline, if any, would be four weeks on.
    const [createdDaysAgo, weeksToDeadline] = lifecycle
      ? [lifecycle[1], 4]
      : urgency === "deadline"
        ? rotate(deadlineRequestTimings, nextDeadlineTiming++)
        : [rotate(openRequestAgesInDays, nextOpenRequestAge++), 0];
    const createdAt = new Date(now.getTime() - createdDaysAgo * DAY_MS);
    const createdOn = calendarToday(user.timeZone, createdAt);
    const deadline = urgency === "deadline" ? addCalendarDays(createdOn, 7 * weeksToDeadline) : null;
    const withdrawnAt = lifecycle?.[0] === "withdrawn" ? new Date(now.getTime() - lifecycle[2] * DAY_MS) : null;

    const requestId = crypto.randomUUID();
    const history: (typeof requestHistory.$inferInsert)[] = [
      { requestId, actorUserId: user.id, action: "created", changes: {}, at: createdAt },
    ];
    if (withdrawnAt) {
      history.push({
        requestId,
        actorUserId: user.id,
        action: "withdrawn",
        changes: { status: { before: "open", after: "withdrawn" } },
        at: withdrawnAt,
      });
    }
    const formats = rotate(requestFormatChoices, position);
    const inPerson = formats.includes("inPerson");
    return {
      row: {
        id: requestId,
        userId: user.id,
        organisationId: organisation.id,
        goal,
        urgency,
        deadline,
        formats: [...formats],
        inPersonRegion: inPerson ? (inPersonRegionOverrides[email] ?? organisation.region) : null,
        accessNeeds: [...rotate(accessNeedChoices, position)],
        sessionMinutes: rotate(requestSessionMinutes, position),
        timeZone: user.timeZone,
        status: withdrawnAt ? ("withdrawn" as const) : ("open" as const),
        expiresOn: addCalendarDays(createdOn, requestLifetimeDays),
        createdAt,
        updatedAt: withdrawnAt ?? createdAt,
      },
      topics: requestTopicIds.map((topicId, index) => ({ requestId, topicId, isMain: index === 0 })),
      languages: ["de" as const, ...extraLanguages].map((language) => ({ requestId, language })),
      windows: rotate(requestAvailabilityPatterns, position).map(([weekday, fromHour, toHour]) => ({
        requestId,
        weekday,
        startMinute: fromHour * 60,
        endMinute: toHour * 60,
      })),
      history,
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
    tx.insert(coachingRequests).values(requests.map(({ row }) => row)).run();
    tx.insert(requestTopics).values(requests.flatMap(({ topics }) => topics)).run();
    tx.insert(requestLanguages).values(requests.flatMap(({ languages }) => languages)).run();
    tx.insert(requestAvailability).values(requests.flatMap(({ windows }) => windows)).run();
    tx.insert(requestHistory).values(requests.flatMap(({ history }) => history)).run();
  });

  return { seeded: true, users: seededUsers.length, organisations: organisationRows.length, requests: requests.length };
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
    console.log(
      `Seeded ${result.users} users, ${result.organisations} organisations and ${result.requests} coaching requests.`,
    );
    console.log(`Demo logins (password: ${demoPassword}):`);
    for (const { email, role } of demoLogins) console.log(`  ${email.padEnd(28)} ${role}`);
  }
}
