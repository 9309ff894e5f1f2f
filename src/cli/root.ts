import { defineCommand } from "citty";
import { VERSION } from "../version.ts";
import { globalArgs, rememberRootArgs } from "./common-args.ts";

/** Sub-commands load lazily so `agentwork status` does not pay for the daemon's imports. */
export const rootCommand = defineCommand({
  meta: {
    name: "agentwork",
    version: VERSION,
    description: "Finalizes recorded AI coding-agent sessions in a ledger with an agent CLI",
  },
  args: globalArgs,
  setup({ args }) {
    rememberRootArgs(args);
  },
  subCommands: {
    daemon: () => import("./commands/daemon.ts").then((m) => m.default),
    status: () => import("./commands/status.ts").then((m) => m.default),
    queue: () => import("./commands/queue.ts").then((m) => m.default),
    history: () => import("./commands/history.ts").then((m) => m.default),
    enqueue: () => import("./commands/enqueue.ts").then((m) => m.default),
    detect: () => import("./commands/detect.ts").then((m) => m.default),
    sync: () => import("./commands/sync.ts").then((m) => m.default),
    retry: () => import("./commands/retry.ts").then((m) => m.default),
    cancel: () => import("./commands/cancel.ts").then((m) => m.default),
    resume: () => import("./commands/resume.ts").then((m) => m.default),
    prune: () => import("./commands/prune.ts").then((m) => m.default),
    export: () => import("./commands/export.ts").then((m) => m.default),
    publish: () => import("./commands/publish.ts").then((m) => m.default),
    version: () => import("./commands/version.ts").then((m) => m.default),
    service: () => import("./commands/service.ts").then((m) => m.default),
    doctor: () => import("./commands/doctor.ts").then((m) => m.default),
    ui: () => import("./commands/ui.ts").then((m) => m.default),
    init: () => import("./commands/init.ts").then((m) => m.default),
  },
});
