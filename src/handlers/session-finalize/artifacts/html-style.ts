/** Inline stylesheet of session.html (the page's CSP allows inline styles and nothing else). */
export const SESSION_CSS = `
:root{color-scheme:light dark;--bg:#f7f7f5;--card:#fff;--fg:#1d1d1f;--muted:#6b6b70;--line:#e3e3e0;
--accent:#3b5bdb;--user:#eef3ff;--user-line:#c5d3fb;--tool:#f3f3f0;--code:#f0f0ec;--star:#c77d00;
--ok:#2b8a3e;--warn:#c77d00;--bad:#c92a2a}
@media (prefers-color-scheme:dark){:root{--bg:#151517;--card:#1e1e21;--fg:#e8e8ea;--muted:#9a9aa2;
--line:#2e2e33;--accent:#8ea2ff;--user:#1d2540;--user-line:#34406a;--tool:#232327;--code:#19191c;
--star:#f2b138;--ok:#69db7c;--warn:#ffc04d;--bad:#ff8787}}
*{box-sizing:border-box}
html{font-size:16px}
body{margin:0;background:var(--bg);color:var(--fg);line-height:1.55;
font-family:system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",sans-serif}
a{color:var(--accent);text-decoration:none}a:hover{text-decoration:underline}
code,pre{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:.84rem}
pre{background:var(--code);border:1px solid var(--line);border-radius:6px;padding:.6rem .75rem;
overflow:auto;max-height:32rem;white-space:pre-wrap;word-break:break-word;margin:.4rem 0}
.page{max-width:78rem;margin:0 auto;padding:1.5rem;display:grid;gap:1.25rem 2rem;
grid-template-columns:minmax(0,1fr) 17rem;grid-template-areas:"top top" "summary side" "messages side"}
.top{grid-area:top;border-bottom:1px solid var(--line);padding-bottom:1rem}
.top h1{margin:0 0 .35rem;font-size:1.6rem;line-height:1.25}
.meta{color:var(--muted);font-size:.9rem;margin:0;display:flex;flex-wrap:wrap;gap:.25rem 1rem}
.summary{grid-area:summary;background:var(--card);border:1px solid var(--line);border-radius:10px;padding:1rem 1.25rem}
.summary h2{font-size:1.05rem;margin:1rem 0 .4rem}.summary h2:first-child{margin-top:0}
.summary ul,.summary ol{margin:.3rem 0;padding-left:1.3rem}
.badge{display:inline-block;border-radius:999px;padding:.05rem .6rem;font-size:.78rem;font-weight:600;
border:1px solid currentColor;margin-right:.4rem}
.badge.success{color:var(--ok)}.badge.partial{color:var(--warn)}.badge.failed{color:var(--bad)}
.chip{display:inline-block;background:var(--tool);border:1px solid var(--line);border-radius:999px;
padding:0 .55rem;margin:.15rem .25rem .15rem 0;font-size:.8rem}
.messages{grid-area:messages;min-width:0}
.side{grid-area:side;font-size:.88rem}
.side section{background:var(--card);border:1px solid var(--line);border-radius:10px;padding:.75rem 1rem;margin-bottom:1rem}
.side h2{font-size:.8rem;text-transform:uppercase;letter-spacing:.06em;color:var(--muted);margin:0 0 .5rem}
.side ol,.side ul{margin:0;padding-left:1.1rem}.side li{margin:.15rem 0;overflow-wrap:anywhere}
.stats{display:grid;grid-template-columns:1fr auto;gap:.1rem .75rem;margin:0}.stats dd{margin:0;text-align:right;font-variant-numeric:tabular-nums}
.files li{display:flex;justify-content:space-between;gap:.5rem}.add{color:var(--ok)}.del{color:var(--bad)}
@media (min-width:64rem){.side{position:sticky;top:1rem;align-self:start;max-height:calc(100vh - 2rem);overflow:auto}}
@media (max-width:64rem){.page{grid-template-columns:minmax(0,1fr);grid-template-areas:"top" "summary" "side" "messages"}}
.chapter{font-size:1.15rem;margin:2rem 0 .75rem;padding-bottom:.3rem;border-bottom:2px solid var(--line)}
.msg{margin:.7rem 0;padding:.7rem 1rem;border-radius:10px;background:var(--card);border:1px solid var(--line)}
.msg.user{background:var(--user);border-color:var(--user-line)}
.msg.aha{box-shadow:inset 3px 0 0 var(--star)}
.who{font-size:.8rem;color:var(--muted);margin-bottom:.25rem;display:flex;gap:.6rem;align-items:baseline}
.who b{color:var(--fg)}.who .star{color:var(--star);font-weight:700}
.text{white-space:pre-wrap;overflow-wrap:anywhere}
details.tool{margin:.35rem 0 .35rem 1rem;background:var(--tool);border:1px solid var(--line);border-radius:8px;padding:.3rem .75rem}
details.tool>summary{cursor:pointer;font-size:.85rem;color:var(--muted);white-space:nowrap;overflow:hidden;text-overflow:ellipsis}
details.tool>summary code{color:var(--fg)}
.tool-name{font-weight:600;color:var(--fg);margin-right:.4rem}
.label{font-size:.75rem;color:var(--muted);margin-top:.4rem}
footer{grid-column:1/-1;color:var(--muted);font-size:.8rem;border-top:1px solid var(--line);padding-top:.75rem}
`;
