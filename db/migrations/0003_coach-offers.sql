CREATE TABLE `coach_offers` (
	`id` text PRIMARY KEY NOT NULL,
	`user_id` text NOT NULL,
	`organisation_id` text NOT NULL,
	`formats` text NOT NULL,
	`in_person_region` text,
	`travel_km` integer,
	`access_support` text NOT NULL,
	`capacity_per_month` integer NOT NULL,
	`paused_until` text,
	`bio` text NOT NULL,
	`time_zone` text NOT NULL,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`organisation_id`) REFERENCES `organisations`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `coach_offers_user_id_unique` ON `coach_offers` (`user_id`);--> statement-breakpoint
CREATE TABLE `offer_availability` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`offer_id` text NOT NULL,
	`weekday` integer NOT NULL,
	`start_minute` integer NOT NULL,
	`end_minute` integer NOT NULL,
	FOREIGN KEY (`offer_id`) REFERENCES `coach_offers`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `offer_availability_offer_idx` ON `offer_availability` (`offer_id`);--> statement-breakpoint
CREATE TABLE `offer_languages` (
	`offer_id` text NOT NULL,
	`language` text NOT NULL,
	PRIMARY KEY(`offer_id`, `language`),
	FOREIGN KEY (`offer_id`) REFERENCES `coach_offers`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `offer_languages_language_idx` ON `offer_languages` (`language`,`offer_id`);--> statement-breakpoint
CREATE TABLE `offer_topics` (
	`offer_id` text NOT NULL,
	`topic_id` text NOT NULL,
	`level` integer NOT NULL,
	`note` text DEFAULT '' NOT NULL,
	PRIMARY KEY(`offer_id`, `topic_id`),
	FOREIGN KEY (`offer_id`) REFERENCES `coach_offers`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`topic_id`) REFERENCES `topics`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `offer_topics_topic_level_idx` ON `offer_topics` (`topic_id`,`level`);