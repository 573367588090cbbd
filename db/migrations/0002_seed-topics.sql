-- The four topics the HumHub community asked for first; the team adds more in the UI.
INSERT INTO `topics` (`id`, `slug`, `label_de`, `label_en`, `description_de`, `description_en`) VALUES
  ('topic-onboarding', 'onboarding', 'Einstieg in HumHub', 'Getting started with HumHub',
   'Erste Schritte: Räume anlegen, Mitglieder einladen, Abläufe übertragen.',
   'First steps: setting up spaces, inviting members, moving your routines over.'),
  ('topic-accessibility', 'accessibility', 'Barrierefreiheit', 'Accessibility',
   'HumHub so einrichten und nutzen, dass alle mitmachen können.',
   'Setting up and using HumHub so that everyone can take part.'),
  ('topic-mobile', 'mobile', 'Mobile Nutzung', 'Mobile use',
   'HumHub auf Smartphone und Tablet: App, Benachrichtigungen, Alltag unterwegs.',
   'HumHub on phones and tablets: the app, notifications, everyday use on the go.'),
  ('topic-hosting', 'hosting', 'Hosting und Betrieb', 'Hosting and operations',
   'Server, Updates, Sicherungen, Datenschutz im Betrieb.',
   'Servers, updates, backups, privacy in day-to-day operation.');
