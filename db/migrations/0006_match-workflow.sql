-- Nothing wrote matches before this migration, so the table is rebuilt rather than altered:
-- SQLite cannot add NOT NULL columns without defaults, nor a foreign key with ON DELETE.
DROP TABLE `matches`;--> statement-breakpoint
CREATE TABLE `matches` (
	`id` text PRIMARY KEY NOT NULL,
	`request_id` text NOT NULL,
	`offer_id` text NOT NULL,
	`status` text NOT NULL,
	`source` text NOT NULL,
	`proposed_by_user_id` text,
	`score` real NOT NULL,
	`breakdown` text NOT NULL,
	`respond_by` integer,
	`decline_reason` text,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`request_id`) REFERENCES `coaching_requests`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`offer_id`) REFERENCES `coach_offers`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`proposed_by_user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
CREATE INDEX `matches_offer_idx` ON `matches` (`offer_id`,`status`,`created_at`);--> statement-breakpoint
CREATE INDEX `matches_request_idx` ON `matches` (`request_id`);--> statement-breakpoint
CREATE TABLE `match_events` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`match_id` text NOT NULL,
	`actor_user_id` text,
	`from_status` text,
	`to_status` text NOT NULL,
	`reason` text,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	FOREIGN KEY (`match_id`) REFERENCES `matches`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`actor_user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
CREATE INDEX `match_events_match_idx` ON `match_events` (`match_id`,`created_at`);--> statement-breakpoint
CREATE TABLE `notifications` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`user_id` text NOT NULL,
	`kind` text NOT NULL,
	`match_id` text,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	`read_at` integer,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`match_id`) REFERENCES `matches`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `notifications_user_idx` ON `notifications` (`user_id`,`read_at`);--> statement-breakpoint
CREATE INDEX `matches_status_idx` ON `matches` (`status`,`created_at`);--> statement-breakpoint
CREATE UNIQUE INDEX `matches_one_active_per_request_idx` ON `matches` (`request_id`) WHERE status in ('awaitingReview', 'awaitingCoach', 'accepted');