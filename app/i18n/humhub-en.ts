import type { Catalogue } from "./de";

const humhubEn: Catalogue["humhub"] = {
  entryTitle: "Tandem: {{topic}} – {{requester}} & {{coach}}",
  goal: "Goal",
  howToJoin: "How to join",
  joinByPhone: "Phone (the number is in Tandem)",
  openInTandem: "Open in Tandem",
  toCalendarEntry: "To the calendar entry",
  genericTopic: "Peer coaching",
  announcement: "New tandem session on **{{topic}}**: {{when}}.",
  participants: "Taking part: {{requester}} and {{coach}}.",
  cancellation: "The tandem session on **{{topic}}** on {{when}} will not take place.",
  notificationText: "Your tandem session on {{topic}}: {{when}}",
};

export default humhubEn;
