// The look-alike pages' inline scripts, as constant strings (not serialised TS functions:
// tsx/esbuild may inject helpers such as __name that don't exist in the page).
//
// Both reproduce what content scripts find hardest on the real apps: the record changes while
// the document stays. The URL changes first, the DOM a fetch later, as on the real SPAs.
// Page config comes from <body data-lookalike-*> attributes; `data-lookalike-rendered` on <body>
// and a `lookalike:rendered` window event tell tests a render finished. None of these exist on
// the real CRMs: adapters must not rely on them.

const RENDER_JS = `
  var body = document.body;
  var crm = body.getAttribute('data-lookalike-crm') || '';
  var ctx = body.getAttribute('data-lookalike-ctx') || '';
  var seq = 0;
  function render(objectType, recordId) {
    var mine = ++seq;
    var q = new URLSearchParams({ crm: crm, objectType: objectType, recordId: recordId, ctx: ctx });
    return fetch('/__lookalike/api/record?' + q.toString(), { credentials: 'same-origin' })
      .then(function (res) { return res.json(); })
      .then(function (data) {
        if (mine !== seq) return; // a later navigation won the race
        var region = document.querySelector('[data-lookalike-region]');
        if (!region) return;
        region.innerHTML = data.html;
        document.title = data.title;
        body.setAttribute('data-lookalike-object-type', objectType);
        body.setAttribute('data-lookalike-record-id', recordId);
        body.setAttribute('data-lookalike-status', data.found ? 'record' : 'not-found');
        body.setAttribute('data-lookalike-rendered', objectType + '/' + recordId);
        window.dispatchEvent(new CustomEvent('lookalike:rendered', { detail: { objectType: objectType, recordId: recordId, found: data.found } }));
      });
  }
`;

/**
 * pushState navigation (Salesforce Lightning, HubSpot, Dynamics UCI, Zoho): links marked
 * data-lookalike-nav push the new URL, then fetch the record and swap the region;
 * back/forward re-render from history.state.
 */
export const PUSH_STATE_CLIENT_JS = `(function () {
${RENDER_JS}
  var ot0 = body.getAttribute('data-lookalike-object-type');
  var id0 = body.getAttribute('data-lookalike-record-id');
  history.replaceState({ lookalike: ot0 && id0 ? { objectType: ot0, recordId: id0 } : null }, '', location.href);
  document.addEventListener('click', function (e) {
    if (e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
    var a = e.target && e.target.closest ? e.target.closest('a[data-lookalike-nav]') : null;
    if (!a) return;
    e.preventDefault();
    var objectType = a.getAttribute('data-lookalike-object-type') || '';
    var recordId = a.getAttribute('data-lookalike-record-id') || '';
    history.pushState({ lookalike: { objectType: objectType, recordId: recordId } }, '', a.href);
    window.scrollTo(0, 0);
    render(objectType, recordId);
  });
  window.addEventListener('popstate', function (e) {
    var s = e.state && e.state.lookalike;
    if (s) render(s.objectType, s.recordId);
    else location.reload(); // a page this script didn't render (list, home): load it for real
  });
})();
`;

/**
 * Hash navigation (kintone): the record number lives in location.hash, which the server never
 * sees, so the record is always rendered here, on load and on every hashchange.
 */
export const HASH_CLIENT_JS = `(function () {
${RENDER_JS}
  var app = body.getAttribute('data-lookalike-object-type') || '';
  function fromHash() {
    var m = /(?:^#|&)record=(\\d+)/.exec(location.hash);
    return m ? m[1] : '';
  }
  window.addEventListener('hashchange', function () { render(app, fromHash()); });
  render(app, fromHash());
})();
`;
