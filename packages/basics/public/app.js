// The lesson page's only script: plain browser JavaScript, no framework, no build step.
// Each <button data-method data-url> describes one request; a click sends it with fetch()
// and prints both sides as HTTP text.
/* global document, location */
'use strict';

/** What the page remembers between clicks (the caching lesson reuses the last ETag). */
const state = { etag: '"none-yet"' };

// The CORS lesson needs a different origin: the same server under its other loopback name.
const otherHost = location.hostname === 'localhost' ? '127.0.0.1' : 'localhost';
const otherOrigin = `${location.protocol}//${otherHost}${location.port ? `:${location.port}` : ''}`;

/** Replace {other}, {etag} and {input-id} placeholders in attribute values. */
function fill(text) {
  return text.replace(/\{([a-z-]+)\}/g, (whole, name) => {
    if (name === 'other') return otherOrigin;
    if (name === 'etag') return state.etag;
    const input = document.getElementById(name);
    return input ? encodeURIComponent(input.value.trim()) : whole;
  });
}

function describe(button) {
  const data = button.dataset;
  const headers = {};
  // Fill placeholders after parsing: an ETag contains quotes that would break the JSON.
  for (const [name, value] of Object.entries(data.headers ? JSON.parse(data.headers) : {}))
    headers[name] = fill(value);
  let body = data.repeat ? 'x'.repeat(Number(data.repeat)) : data.body;
  if (body !== undefined && data.type) headers['Content-Type'] = data.type;
  // fetch sends POST without a body as "Content-Length: 0"; say so in the request text.
  if (body === undefined && (data.method === 'POST' || data.method === 'PUT')) body = '';
  return { method: data.method, url: new URL(fill(data.url), location.href), headers, body };
}

/** The request as the first lines on the wire would read (what we control of them). */
function requestText(req) {
  const lines = [
    `${req.method} ${req.url.pathname}${req.url.search} HTTP/1.1`,
    `Host: ${req.url.host}`,
  ];
  for (const [name, value] of Object.entries(req.headers)) lines.push(`${name}: ${value}`);
  if (req.url.origin !== location.origin)
    lines.push(`Origin: ${location.origin}   ← added by the browser`);
  lines.push('# …plus the headers the browser adds (User-Agent, Accept-Encoding, Cookie…)');
  let text = lines.join('\n') + '\n\n';
  if (req.body)
    text +=
      req.body.length > 300 ? `${req.body.slice(0, 300)}… (${req.body.length} bytes)` : req.body;
  return text;
}

function responseHead(res, elapsed) {
  const lines = [`HTTP/1.1 ${res.status} ${res.statusText}`];
  res.headers.forEach((value, name) => lines.push(`${name}: ${value}`));
  if (res.redirected) lines.unshift(`# fetch followed a redirect; final URL: ${res.url}`);
  if (new URL(res.url).origin !== location.origin) {
    lines.push(
      '# cross-origin: scripts see only the CORS-safelisted headers and Access-Control-Expose-Headers',
    );
  }
  lines.push(`# ${Math.round(elapsed)} ms`);
  return lines.join('\n') + '\n\n';
}

async function send(section, button) {
  const requestPre = section.querySelector('.request');
  const responsePre = section.querySelector('.response');
  const req = describe(button);
  requestPre.textContent = requestText(req);
  responsePre.textContent = '… waiting';
  responsePre.dataset.class = '';
  const started = performance.now();
  try {
    const res = await fetch(req.url, {
      method: req.method,
      headers: req.headers,
      body: req.body === undefined ? undefined : req.body,
      // Why no-store: show what the *server* answers, not what the browser's cache has.
      cache: 'no-store',
    });
    const etag = res.headers.get('etag');
    if (etag) state.etag = etag;
    responsePre.dataset.class = String(res.status)[0];
    if (button.dataset.special === 'stream' && res.body) {
      responsePre.textContent = responseHead(res, performance.now() - started);
      // Read the body chunk by chunk, as the bytes arrive.
      const reader = res.body.getReader();
      const decoder = new TextDecoder();
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        responsePre.textContent += `[+${Math.round(performance.now() - started)} ms] ${decoder.decode(value, { stream: true })}`;
      }
      responsePre.textContent += '# end of stream';
    } else {
      // Head and body shown together: a status line with no body yet would look like an empty answer.
      const head = responseHead(res, performance.now() - started);
      responsePre.textContent = head + (await res.text());
    }
  } catch (error) {
    responsePre.dataset.class = 'error';
    responsePre.textContent =
      `${error}\n\n# fetch() failed: the server is unreachable, or the browser refused to let ` +
      'this page read the answer (CORS). The browser console says which.';
  }
}

function showDocumentCookie(section) {
  section.querySelector('.request').textContent = '// page JavaScript\ndocument.cookie';
  const pre = section.querySelector('.response');
  pre.dataset.class = '2';
  pre.textContent =
    `${JSON.stringify(document.cookie)}\n\n# lesson_session is missing on purpose: it is HttpOnly, ` +
    'so scripts (and XSS attacks) cannot read it. The browser still sends it — see GET /cookies.';
}

for (const span of document.querySelectorAll('.other-origin')) span.textContent = otherOrigin;

for (const button of document.querySelectorAll('.lesson button')) {
  const section = button.closest('.lesson');
  button.addEventListener('click', () => {
    if (button.dataset.special === 'document-cookie') showDocumentCookie(section);
    else void send(section, button);
  });
}
