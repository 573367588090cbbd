CREATE TABLE `calendar_feeds` (
	`user_id` text PRIMARY KEY NOT NULL,
	`token_hash` text NOT NULL,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	`last_read_at` integer,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `calendar_feeds_token_hash_unique` ON `calendar_feeds` (`token_hash`);--> statement-breakpoint
CREATE TABLE `coaching_sessions` (
	`id` text PRIMARY KEY NOT NULL,
	`match_id` text NOT NULL,
	`coach_user_id` text NOT NULL,
	`requester_user_id` text NOT NULL,
	`status` text NOT NULL,
	`duration_minutes` integer NOT NULL,
	`format` text NOT NULL,
	`join_details` text DEFAULT '' NOT NULL,
	`starts_at` integer,
	`ends_at` integer,
	`proposed_times` text,
	`proposed_by_user_id` text,
	`sequence` integer DEFAULT 0 NOT NULL,
	`cancel_reason` text,
	`cancelled_by_user_id` text,
	`humhub_entry_id` integer,
	`humhub_entry_url` text,
	`humhub_post_url` text,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`match_id`) REFERENCES `matches`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`coach_user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`requester_user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`proposed_by_user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE set null,
	FOREIGN KEY (`cancelled_by_user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
CREATE INDEX `coaching_sessions_match_idx` ON `coaching_sessions` (`match_id`);--> statement-breakpoint
CREATE INDEX `coaching_sessions_coach_idx` ON `coaching_sessions` (`coach_user_id`,`status`,`starts_at`);--> statement-breakpoint
CREATE INDEX `coaching_sessions_requester_idx` ON `coaching_sessions` (`requester_user_id`,`status`,`starts_at`);--> statement-breakpoint
CREATE TABLE `humhub_accounts` (
	`user_id` text PRIMARY KEY NOT NULL,
	`username` text NOT NULL,
	`humhub_user_id` integer,
	`guid` text,
	`display_name` text,
	`profile_url` text,
	`problem` text,
	`checked_at` integer NOT NULL,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `humhub_outbox` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`session_id` text NOT NULL,
	`kind` text NOT NULL,
	`status` text DEFAULT 'pending' NOT NULL,
	`attempts` integer DEFAULT 0 NOT NULL,
	`next_attempt_at` integer NOT NULL,
	`last_error` text,
	`last_status` integer,
	`result_id` integer,
	`result_url` text,
	`result_note` text,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	`delivered_at` integer,
	FOREIGN KEY (`session_id`) REFERENCES `coaching_sessions`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `humhub_outbox_due_idx` ON `humhub_outbox` (`status`,`next_attempt_at`);--> statement-breakpoint
CREATE INDEX `humhub_outbox_session_idx` ON `humhub_outbox` (`session_id`,`id`);--> statement-breakpoint
CREATE TABLE `session_events` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`session_id` text NOT NULL,
	`actor_user_id` text,
	`kind` text NOT NULL,
	`starts_at` integer,
	`reason` text,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	FOREIGN KEY (`session_id`) REFERENCES `coaching_sessions`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`actor_user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
CREATE INDEX `session_events_session_idx` ON `session_events` (`session_id`,`created_at`);--> statement-breakpoint
CREATE TABLE `session_feedback` (
	`session_id` text NOT NULL,
	`user_id` text NOT NULL,
	`held` integer NOT NULL,
	`rating` integer,
	`comment` text,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	`updated_at` integer NOT NULL,
	PRIMARY KEY(`session_id`, `user_id`),
	FOREIGN KEY (`session_id`) REFERENCES `coaching_sessions`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
-- No double booking, whatever code path writes: a person (as coach or requester) never holds two overlapping
-- confirmed sessions. The app checks first (with the buffer) inside an IMMEDIATE transaction and shows a message;
-- these triggers are the last line should a write ever skip that check.
CREATE TRIGGER `coaching_sessions_no_double_booking_insert` BEFORE INSERT ON `coaching_sessions`
WHEN NEW.`status` = 'confirmed'
BEGIN
  SELECT RAISE(ABORT, 'double booking')
  WHERE NEW.`starts_at` IS NULL OR NEW.`ends_at` IS NULL OR NEW.`ends_at` <= NEW.`starts_at` OR EXISTS (
    SELECT 1 FROM `coaching_sessions` AS `other`
    WHERE `other`.`status` = 'confirmed' AND `other`.`id` <> NEW.`id`
      AND `other`.`starts_at` < NEW.`ends_at` AND NEW.`starts_at` < `other`.`ends_at`
      AND (`other`.`coach_user_id` IN (NEW.`coach_user_id`, NEW.`requester_user_id`)
        OR `other`.`requester_user_id` IN (NEW.`coach_user_id`, NEW.`requester_user_id`))
  );
END;
--> statement-breakpoint
CREATE TRIGGER `coaching_sessions_no_double_booking_update` BEFORE UPDATE OF `status`, `starts_at`, `ends_at` ON `coaching_sessions`
WHEN NEW.`status` = 'confirmed'
BEGIN
  SELECT RAISE(ABORT, 'double booking')
  WHERE NEW.`starts_at` IS NULL OR NEW.`ends_at` IS NULL OR NEW.`ends_at` <= NEW.`starts_at` OR EXISTS (
    SELECT 1 FROM `coaching_sessions` AS `other`
    WHERE `other`.`status` = 'confirmed' AND `other`.`id` <> NEW.`id`
      AND `other`.`starts_at` < NEW.`ends_at` AND NEW.`starts_at` < `other`.`ends_at`
      AND (`other`.`coach_user_id` IN (NEW.`coach_user_id`, NEW.`requester_user_id`)
        OR `other`.`requester_user_id` IN (NEW.`coach_user_id`, NEW.`requester_user_id`))
  );
END;
