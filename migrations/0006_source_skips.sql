CREATE TABLE `source_skips` (
	`source` text NOT NULL,
	`source_id` text NOT NULL,
	`size` integer NOT NULL,
	`mtime_ms` integer NOT NULL,
	`reason` text NOT NULL,
	`filter` text NOT NULL,
	`skipped_at` integer NOT NULL,
	PRIMARY KEY(`source`, `source_id`),
	CONSTRAINT "source_skips_source_valid" CHECK("source_skips"."source" IN ('claude', 'codex', 'gemini')),
	CONSTRAINT "source_skips_reason_valid" CHECK("source_skips"."reason" IN ('project', 'summary_run', 'empty')),
	CONSTRAINT "source_skips_size_valid" CHECK("source_skips"."size" >= 0 AND "source_skips"."mtime_ms" >= 0)
) STRICT;
