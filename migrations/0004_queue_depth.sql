-- Edited by hand after drizzle-kit generate: STRICT, the single row seeded from the items that wait
-- now, and the triggers that keep it (drizzle-kit does not model triggers). Waiting states:
-- 'queued', 'retry_wait' (WAITING_STATES in src/core/work-item.ts; test/queue/state-lists.test.ts
-- checks these lists against the union).
CREATE TABLE `queue_depth` (
	`id` integer PRIMARY KEY NOT NULL,
	`waiting` integer DEFAULT 0 NOT NULL,
	CONSTRAINT "queue_depth_single_row" CHECK("queue_depth"."id" = 1),
	CONSTRAINT "queue_depth_not_negative" CHECK("queue_depth"."waiting" >= 0)
) STRICT;
--> statement-breakpoint
INSERT INTO `queue_depth` (`id`, `waiting`)
  SELECT 1, count(*) FROM `work_items` WHERE `state` IN ('queued', 'retry_wait');
--> statement-breakpoint
CREATE TRIGGER `work_items_depth_insert` AFTER INSERT ON `work_items`
  WHEN NEW.`state` IN ('queued', 'retry_wait')
  BEGIN UPDATE `queue_depth` SET `waiting` = `waiting` + 1 WHERE `id` = 1; END;
--> statement-breakpoint
CREATE TRIGGER `work_items_depth_delete` AFTER DELETE ON `work_items`
  WHEN OLD.`state` IN ('queued', 'retry_wait')
  BEGIN UPDATE `queue_depth` SET `waiting` = `waiting` - 1 WHERE `id` = 1; END;
--> statement-breakpoint
CREATE TRIGGER `work_items_depth_update` AFTER UPDATE OF `state` ON `work_items`
  WHEN (OLD.`state` IN ('queued', 'retry_wait')) <> (NEW.`state` IN ('queued', 'retry_wait'))
  BEGIN
    UPDATE `queue_depth`
      SET `waiting` = `waiting` + (CASE WHEN NEW.`state` IN ('queued', 'retry_wait') THEN 1 ELSE -1 END)
      WHERE `id` = 1;
  END;
