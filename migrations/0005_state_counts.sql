-- Edited by hand after drizzle-kit generate: STRICT and WITHOUT ROWID, one row per state seeded
-- from the items there are now, and the triggers that keep the rows (drizzle-kit does not model
-- triggers). It replaces queue_depth (0004): the waiting count is the sum of the waiting states'
-- rows, and `status` reads six rows instead of scanning work_items. The triggers name no state,
-- so the state union is written only in the CHECKs (test/queue/state-lists.test.ts).
CREATE TABLE `state_counts` (
	`state` text PRIMARY KEY NOT NULL,
	`items` integer DEFAULT 0 NOT NULL,
	CONSTRAINT "state_counts_state_valid" CHECK("state_counts"."state" IN ('queued', 'running', 'retry_wait', 'done', 'failed', 'cancelled')),
	CONSTRAINT "state_counts_not_negative" CHECK("state_counts"."items" >= 0)
) STRICT, WITHOUT ROWID;
--> statement-breakpoint
INSERT INTO `state_counts` (`state`, `items`)
  VALUES ('queued', 0), ('running', 0), ('retry_wait', 0), ('done', 0), ('failed', 0), ('cancelled', 0);
--> statement-breakpoint
UPDATE `state_counts`
  SET `items` = (SELECT count(*) FROM `work_items` WHERE `work_items`.`state` = `state_counts`.`state`);
--> statement-breakpoint
DROP TRIGGER `work_items_depth_insert`;
--> statement-breakpoint
DROP TRIGGER `work_items_depth_delete`;
--> statement-breakpoint
DROP TRIGGER `work_items_depth_update`;
--> statement-breakpoint
DROP TABLE `queue_depth`;
--> statement-breakpoint
CREATE TRIGGER `work_items_count_insert` AFTER INSERT ON `work_items`
  BEGIN UPDATE `state_counts` SET `items` = `items` + 1 WHERE `state` = NEW.`state`; END;
--> statement-breakpoint
CREATE TRIGGER `work_items_count_delete` AFTER DELETE ON `work_items`
  BEGIN UPDATE `state_counts` SET `items` = `items` - 1 WHERE `state` = OLD.`state`; END;
--> statement-breakpoint
CREATE TRIGGER `work_items_count_update` AFTER UPDATE OF `state` ON `work_items`
  WHEN OLD.`state` <> NEW.`state`
  BEGIN
    UPDATE `state_counts`
      SET `items` = `items` + (CASE WHEN `state` = NEW.`state` THEN 1 ELSE -1 END)
      WHERE `state` IN (OLD.`state`, NEW.`state`);
  END;
