CREATE TABLE `coaching_requests` (
	`id` text PRIMARY KEY NOT NULL,
	`user_id` text NOT NULL,
	`organisation_id` text NOT NULL,
	`goal` text NOT NULL,
	`urgency` text NOT NULL,
	`deadline` text,
	`formats` text NOT NULL,
	`in_person_region` text,
	`access_needs` text NOT NULL,
	`session_minutes` integer NOT NULL,
	`time_zone` text NOT NULL,
	`status` text DEFAULT 'open' NOT NULL,
	`expires_on` text NOT NULL,
	`wished_coach_offer_id` text,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`organisation_id`) REFERENCES `organisations`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`wished_coach_offer_id`) REFERENCES `coach_offers`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
CREATE INDEX `coaching_requests_user_idx` ON `coaching_requests` (`user_id`);--> statement-breakpoint
CREATE INDEX `coaching_requests_status_expiry_idx` ON `coaching_requests` (`status`,`expires_on`);--> statement-breakpoint
CREATE TABLE `request_availability` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`request_id` text NOT NULL,
	`weekday` integer NOT NULL,
	`start_minute` integer NOT NULL,
	`end_minute` integer NOT NULL,
	FOREIGN KEY (`request_id`) REFERENCES `coaching_requests`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `request_availability_request_idx` ON `request_availability` (`request_id`);--> statement-breakpoint
CREATE TABLE `request_history` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`request_id` text NOT NULL,
	`actor_user_id` text,
	`action` text NOT NULL,
	`changes` text NOT NULL,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	FOREIGN KEY (`request_id`) REFERENCES `coaching_requests`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`actor_user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
CREATE INDEX `request_history_request_idx` ON `request_history` (`request_id`);--> statement-breakpoint
CREATE TABLE `request_languages` (
	`request_id` text NOT NULL,
	`language` text NOT NULL,
	PRIMARY KEY(`request_id`, `language`),
	FOREIGN KEY (`request_id`) REFERENCES `coaching_requests`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `request_topics` (
	`request_id` text NOT NULL,
	`topic_id` text NOT NULL,
	`is_main` integer NOT NULL,
	PRIMARY KEY(`request_id`, `topic_id`),
	FOREIGN KEY (`request_id`) REFERENCES `coaching_requests`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`topic_id`) REFERENCES `topics`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `request_topics_topic_idx` ON `request_topics` (`topic_id`);