// The dashboard's only script (served from /assets/live.js; the CSP allows no inline script).
// While the tab is visible it listens to /events; on "change" it reloads <main> in place.
// A hidden tab closes the stream, and catches up once when it becomes visible again.
let source = null;
const badge = () => document.getElementById("live");

async function refresh() {
  const active = document.activeElement;
  if (active?.closest?.("main form")) return;
  const response = await fetch(location.href, { credentials: "same-origin" });
  if (!response.ok) return;
  const next = new DOMParser().parseFromString(await response.text(), "text/html");
  const fresh = next.querySelector("main");
  const current = document.querySelector("main");
  if (fresh && current) current.replaceWith(document.adoptNode(fresh));
}

function show(text) {
  const el = badge();
  if (el) el.textContent = text;
}

function open() {
  if (source !== null || document.hidden) return;
  source = new EventSource("/events");
  source.addEventListener("change", () => void refresh());
  source.addEventListener("daemon", (event) =>
    show(event.data === "running" ? "live" : "no daemon: not live"),
  );
  source.onerror = () => show("disconnected");
}

function close() {
  if (source === null) return;
  source.close();
  source = null;
  show("paused (tab hidden)");
}

document.addEventListener("visibilitychange", () => {
  if (document.hidden) return close();
  open();
  void refresh();
});
open();
