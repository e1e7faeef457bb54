/**
 * The studio's HTML shell. The page is built by the bundled script; the shell only holds the layout and hands the
 * token to the script (in a data attribute, since every request must carry it).
 */
function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

export function studioPage(appName: string, token: string): string {
  const t = encodeURIComponent(token);
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<link rel="icon" href="data:,">
<title>${escapeHtml(appName)} · streaming-analytics studio</title>
<link rel="stylesheet" href="/assets/studio.css?token=${t}">
</head>
<body data-token="${escapeHtml(token)}">
<header>
  <h1><span class="product">streaming-analytics studio</span> <span id="app-name">${escapeHtml(appName)}</span></h1>
  <div id="status" class="status">starting</div>
  <dl id="progress" class="progress"></dl>
</header>
<main>
  <section id="left">
    <div class="toolbar"><button id="save" title="Save the SQL and restart the application at the current source position (Ctrl-S)">Save &amp; restart</button><span id="save-state"></span></div>
    <div id="editor"></div>
    <ul id="diagnostics"></ul>
  </section>
  <section id="right">
    <nav id="tabs" role="tablist"></nav>
    <div id="tab-body"></div>
    <div id="charts-bar"><label>Group charts by <select id="chart-key"></select></label></div>
    <div id="charts"></div>
  </section>
</main>
<script src="/assets/studio.js?token=${t}"></script>
</body>
</html>
`;
}
