declare const self: Worker;
// Registered before the real handler (`dies-on-write.ts` imports this first): the thread exits
// on its first write request, before writing or answering it.
self.addEventListener("message", (event: MessageEvent<{ kind: string }>) => {
  if (event.data.kind === "write") process.exit(3);
});
