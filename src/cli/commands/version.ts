import { defineCommand } from "citty";
import { VERSION } from "../../version.ts";
import { jsonArg } from "../common-args.ts";
import { printData } from "../output.ts";

export default defineCommand({
  meta: { name: "version", description: "Print the version" },
  args: { ...jsonArg },
  run({ args }) {
    printData(
      { version: VERSION, bun: Bun.version },
      { json: args.json === true, text: (v) => `agentwork ${v.version}` },
    );
  },
});
