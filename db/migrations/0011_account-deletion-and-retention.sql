ALTER TABLE `coaching_requests` ADD `redacted_at` integer;--> statement-breakpoint
ALTER TABLE `users` ADD `deleted_at` integer;