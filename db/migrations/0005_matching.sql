CREATE TABLE `matches` (
	`id` text PRIMARY KEY NOT NULL,
	`request_id` text NOT NULL,
	`offer_id` text NOT NULL,
	`status` text NOT NULL,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`request_id`) REFERENCES `coaching_requests`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`offer_id`) REFERENCES `coach_offers`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `matches_offer_idx` ON `matches` (`offer_id`,`status`,`created_at`);--> statement-breakpoint
CREATE INDEX `matches_request_idx` ON `matches` (`request_id`);--> statement-breakpoint
CREATE TABLE `matching_proposals` (
	`run_id` text NOT NULL,
	`request_id` text NOT NULL,
	`offer_id` text NOT NULL,
	`score` real NOT NULL,
	`breakdown` text NOT NULL,
	PRIMARY KEY(`run_id`, `request_id`),
	FOREIGN KEY (`run_id`) REFERENCES `matching_runs`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`request_id`) REFERENCES `coaching_requests`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`offer_id`) REFERENCES `coach_offers`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `matching_runs` (
	`id` text PRIMARY KEY NOT NULL,
	`mode` text NOT NULL,
	`status` text NOT NULL,
	`phase` text NOT NULL,
	`progress` integer DEFAULT 0 NOT NULL,
	`started_by_user_id` text,
	`weights` text NOT NULL,
	`request_count` integer,
	`coach_count` integer,
	`matched_count` integer,
	`total_score` real,
	`score_ms` integer,
	`solve_ms` integer,
	`error` text,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	`finished_at` integer,
	FOREIGN KEY (`started_by_user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
CREATE INDEX `matching_runs_created_idx` ON `matching_runs` (`created_at`);--> statement-breakpoint
CREATE INDEX `audit_events_action_idx` ON `audit_events` (`action`,`created_at`);