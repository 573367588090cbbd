/** HumHub: the team's connection page, and the texts Tandem posts into the space (German, the source of the shape). */
const humhubDe = {
  entryTitle: "Tandem: {{topic}} – {{requester}} & {{coach}}",
  goal: "Ziel",
  howToJoin: "So kommen Sie dazu",
  joinByPhone: "Telefon (die Nummer steht in Tandem)",
  openInTandem: "In Tandem öffnen",
  toCalendarEntry: "Zum Kalendereintrag",
  genericTopic: "Peer-Coaching",
  announcement: "Neues Tandem-Treffen zu **{{topic}}**: {{when}}.",
  participants: "Dabei: {{requester}} und {{coach}}.",
  cancellation: "Das Tandem-Treffen zu **{{topic}}** am {{when}} findet nicht statt.",
  notificationText: "Ihr Tandem-Treffen zu {{topic}}: {{when}}",
} as const;

export default humhubDe;
