CREATE INDEX `runs_status` ON `runs` (`status`,`started_at`);--> statement-breakpoint
CREATE INDEX `runs_usage` ON `runs` (`started_at`,`status`,`tokens_in`,`tokens_out`,`cost_usd`);