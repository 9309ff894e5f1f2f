CREATE TABLE `source_imports` (
	`source` text NOT NULL,
	`source_id` text NOT NULL,
	`path` text NOT NULL,
	`size` integer NOT NULL,
	`mtime_ms` integer NOT NULL,
	`content_hash` text NOT NULL,
	`session_name` text NOT NULL,
	`imported_at` integer NOT NULL,
	PRIMARY KEY(`source`, `source_id`),
	CONSTRAINT "source_imports_source_valid" CHECK("source_imports"."source" IN ('claude', 'codex', 'gemini')),
	CONSTRAINT "source_imports_size_valid" CHECK("source_imports"."size" >= 0 AND "source_imports"."mtime_ms" >= 0),
	CONSTRAINT "source_imports_hash_valid" CHECK(length("source_imports"."content_hash") = 64)
) STRICT;
--> statement-breakpoint
CREATE UNIQUE INDEX `source_imports_session` ON `source_imports` (`session_name`);