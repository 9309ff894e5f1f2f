// In this order: the exit is in place before the real handler, so no write is ever done.
import "./exit-on-write.ts";
import "../../../src/sources/import-worker.ts";
