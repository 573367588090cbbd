ALTER TABLE `coaching_sessions` ADD `proposed_format` text;--> statement-breakpoint
ALTER TABLE `coaching_sessions` ADD `proposed_join_details` text;--> statement-breakpoint
CREATE INDEX `coaching_sessions_open_offers_idx` ON `coaching_sessions` (`id`) WHERE proposed_times is not null;