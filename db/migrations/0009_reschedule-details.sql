ALTER TABLE `coaching_sessions` ADD `proposed_format` text;--> statement-breakpoint
ALTER TABLE `coaching_sessions` ADD `proposed_join_details` text;