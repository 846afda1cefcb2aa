// kintone (Cybozu) look-alike.
//
// Shape: from kintone's record pages as remembered (2026-11) and the class names its JavaScript
// customisation community documents and styles against: the global header (.gaia-header-*),
// the app toolbar (.gaia-argoui-app-toolbar, .gaia-argoui-app-show-toolbar with edit/copy
// menus), the process-management status bar (.gaia-app-statusbar), the record body
// (#record-gaia.record-gaia > .layout-gaia > .row-gaia > .control-gaia with .control-label-gaia /
// .control-value-gaia > .control-value-content-gaia), the comment sidebar
// (.gaia-argoui-app-show-sidebar: an editable comment field and its 書き込む button at the top
// of the right column, the rep's own logging next to the record) and the list (.recordlist-gaia, a.recordlist-show-gaia).
// A look-alike written from scratch, not a copy of Cybozu's markup or styles.
//
// URLs: /k/<app>/show#record=<n> (guest spaces /k/guest/<space>/<app>/show#record=<n>), lists
// /k/<app>/. The record number is in the hash, which never reaches a server, so the show page
// is a shell whose script renders the record on load and on every hashchange, as kintone does;
// previous/next arrows change only the hash.
import { HASH_CLIENT_JS } from '../client-scripts';
import { html, renderDocument, type SafeHtml } from '../html';
import type { CrmRecordView, RecordSource } from '../types';
import { indexObjectTypes, type CrmSiteModule, type PageOptions, type RecordRegion, type RenderedPage } from './module';

interface AppInfo {
  name: string;
  nameLabel: string;
}

const APPS: Readonly<Record<string, AppInfo>> = {
  '12': { name: 'リード管理', nameLabel: '氏名' },
  '13': { name: '顧客管理', nameLabel: '顧客名' },
};

function appInfo(app: string): AppInfo {
  return APPS[app] ?? { name: `アプリ ${app}`, nameLabel: 'タイトル' };
}

/** The path prefix a page lives under: "/k" or "/k/guest/<space>". Anything else is ignored. */
function safeCtx(ctx: string | undefined): string {
  return ctx !== undefined && /^\/k(\/guest\/\d+)?$/.test(ctx) ? ctx : '/k';
}

function showPath(ctx: string, app: string): string {
  return `${ctx}/${encodeURIComponent(app)}/show`;
}

/** Hash like kintone's after moving through a list view: record plus the list's own state. */
function recordHash(recordId: string, neighbours: { prev?: string; next?: string }): string {
  let hash = `#record=${encodeURIComponent(recordId)}&l.view=5520&l.q&l.sort_0=f5522180&l.order_0=ASC`;
  if (neighbours.next !== undefined) hash += `&l.next=${neighbours.next}`;
  if (neighbours.prev !== undefined) hash += `&l.prev=${neighbours.prev}`;
  return hash;
}

function recordPath(record: Pick<CrmRecordView, 'objectType' | 'recordId'>, ctx?: string): string {
  return `${showPath(safeCtx(ctx), record.objectType)}#record=${encodeURIComponent(record.recordId)}`;
}

// ---------------------------------------------------------------- markup

function header(ctx: string, app: string | undefined): SafeHtml {
  const guest = ctx.startsWith('/k/guest/');
  return html`<div id="header-global" class="gaia-header" role="banner">
<div class="gaia-header-header"><div class="gaia-header-logo"><a class="gaia-header-logo-link" href="/k/#/portal"><span class="gaia-header-logo-img">kintone</span></a></div>
<div class="gaia-header-toolbar"><div class="gaia-header-toolbar-search"><input class="gaia-header-toolbar-search-input" type="search" placeholder="kintoneを検索"></div>
<button class="gaia-header-toolbar-favorite" title="お気に入り">☆</button><button class="gaia-header-toolbar-notification" title="通知">⚐</button><button class="gaia-header-toolbar-settings" title="設定">⚙</button><button class="gaia-header-toolbar-user" title="佐々木 誠"><span class="gaia-header-toolbar-user-photo">佐</span></button></div></div>
<div class="gaia-argoui-app-breadcrumb"><a class="gaia-argoui-breadcrumb-item" href="/k/#/portal">ポータル</a>${guest ? html`<span class="gaia-argoui-breadcrumb-separator">›</span><span class="gaia-argoui-breadcrumb-item">ゲストスペース</span>` : ''}${app !== undefined ? html`<span class="gaia-argoui-breadcrumb-separator">›</span><a class="gaia-argoui-breadcrumb-item" href="${ctx}/${app}/">${appInfo(app).name}</a>` : ''}</div>
${app !== undefined ? html`<div class="gaia-argoui-app-titlebar"><span class="gaia-argoui-app-titlebar-icon">▤</span><h2 class="gaia-argoui-app-titlebar-content">${appInfo(app).name}</h2></div>` : ''}
</div>`;
}

interface FieldDef {
  code: string;
  id: number;
  label: string;
  type: 'single_line_text' | 'link' | 'user_select' | 'record_id';
  value: (r: CrmRecordView) => string | undefined;
  link?: (v: string) => string;
}

function fieldsFor(app: string): FieldDef[] {
  return [
    { code: 'レコード番号', id: 5522180, label: 'レコード番号', type: 'record_id', value: (r) => r.recordId },
    { code: 'name', id: 5522181, label: appInfo(app).nameLabel, type: 'single_line_text', value: (r) => r.name },
    { code: 'company', id: 5522182, label: '会社名', type: 'single_line_text', value: (r) => r.company },
    { code: 'title', id: 5522183, label: '役職', type: 'single_line_text', value: (r) => r.title },
    { code: 'email', id: 5522184, label: 'メールアドレス', type: 'link', value: (r) => r.email, link: (v) => `mailto:${v}` },
    { code: 'phone', id: 5522185, label: '電話番号', type: 'link', value: (r) => r.phone, link: (v) => `tel:${v.replace(/[^0-9+]/g, '')}` },
    { code: 'owner', id: 5522186, label: '担当者', type: 'user_select', value: (r) => r.owner },
  ];
}

function fieldValue(f: FieldDef, value: string | undefined): SafeHtml {
  if (value === undefined || value === '') return html`<span class="control-value-content-gaia"></span>`;
  if (f.type === 'user_select') return html`<span class="control-value-content-gaia"><ul class="control-member-list-gaia"><li class="control-member-item-gaia"><a class="control-member-link-gaia" href="/k/#/people/user/sasaki">${value}</a></li></ul></span>`;
  if (f.link) return html`<span class="control-value-content-gaia"><a href="${f.link(value)}" target="_blank" rel="noopener">${value}</a></span>`;
  return html`<span class="control-value-content-gaia">${value}</span>`;
}

function recordBody(app: string, record: CrmRecordView): SafeHtml {
  const fields = fieldsFor(app);
  const rows = [fields.slice(0, 1), fields.slice(1, 3), fields.slice(3, 5), fields.slice(5)];
  return html`<div id="record-gaia" class="record-gaia"><div class="layout-gaia">
${rows.map((row) => html`<div class="row-gaia clearFix-cybozu">${row.map((f) => html`<div class="control-gaia control-${f.type}-field-gaia field-${f.id} control-show-gaia" data-field-code="${f.code}">
<div class="control-label-gaia label-${f.id}"><span class="control-label-text-gaia">${f.label}</span></div>
<div class="control-value-gaia value-${f.id}">${fieldValue(f, f.value(record))}</div>
<div class="control-design-gaia"></div></div>`)}</div>`)}
</div></div>`;
}

function neighbours(records: RecordSource, app: string, recordId: string): { prev?: CrmRecordView; next?: CrmRecordView } {
  const list = records.list('kintone', app, 500);
  const i = list.findIndex((r) => r.recordId === recordId);
  if (i < 0) return {};
  return { prev: list[i - 1], next: list[i + 1] };
}

function pagerLink(kind: 'prev' | 'next', target: CrmRecordView | undefined, records: RecordSource, app: string): SafeHtml {
  const label = kind === 'prev' ? '前のレコード' : '次のレコード';
  const arrow = kind === 'prev' ? '‹' : '›';
  if (!target) return html`<span class="gaia-argoui-app-infobar-pager-${kind} gaia-argoui-app-infobar-pager-disabled" title="${label}" aria-disabled="true">${arrow}</span>`;
  const n = neighbours(records, app, target.recordId);
  return html`<a class="gaia-argoui-app-infobar-pager-${kind}" href="${recordHash(target.recordId, { prev: n.prev?.recordId, next: n.next?.recordId })}" title="${label}" aria-label="${label}">${arrow}</a>`;
}

function showToolbar(records: RecordSource, app: string, record: CrmRecordView | undefined): SafeHtml {
  const n = record ? neighbours(records, app, record.recordId) : {};
  return html`<div class="gaia-argoui-app-toolbar gaia-argoui-app-show-toolbar">
<div class="gaia-argoui-app-toolbar-menu"><button class="gaia-argoui-app-menu-edit" title="レコードを編集する" type="button">✎</button><button class="gaia-argoui-app-menu-copy" title="再利用する" type="button">❐</button><button class="gaia-argoui-app-menu-print" title="印刷する" type="button">☰</button><button class="gaia-argoui-app-menu-option" title="オプション" type="button">…</button></div>
<div class="gaia-argoui-app-infobar"><span class="gaia-argoui-app-infobar-recordid">${record ? `レコード番号: ${record.recordId}` : ''}</span>
<div class="gaia-argoui-app-infobar-pager">${pagerLink('prev', n.prev, records, app)}${pagerLink('next', n.next, records, app)}</div></div>
</div>`;
}

function statusBar(record: CrmRecordView): SafeHtml {
  if (record.status === undefined) return html``;
  return html`<div class="gaia-app-statusbar"><div class="gaia-app-statusbar-state"><span class="gaia-app-statusbar-state-label-title">ステータス</span><span class="gaia-app-statusbar-state-label">${record.status}</span></div>
<div class="gaia-app-statusbar-assignee"><span class="gaia-app-statusbar-assignee-title">作業者</span>${record.owner ?? '（なし）'}</div>
<div class="gaia-app-statusbar-actionmenu"><button class="gaia-app-statusbar-action" type="button">次のステータスへ ›</button></div></div>`;
}

function sidebar(): SafeHtml {
  return html`<div class="gaia-argoui-app-show-sidebar"><div class="gaia-argoui-app-show-sidebar-tabs"><span class="gaia-argoui-app-show-sidebar-tab gaia-argoui-app-show-sidebar-tab-selected">コメント</span><span class="gaia-argoui-app-show-sidebar-tab">変更履歴</span></div>
<div class="ocean-ui-comments-commentform"><div class="ocean-ui-comments-commentform-form"><div class="ocean-ui-editor-field" contenteditable="true" role="textbox" aria-multiline="true" aria-label="コメント" data-placeholder="コメントを書く"></div></div>
<div class="ocean-ui-comments-commentform-toolbar"><button class="ocean-ui-comments-commentform-submit" type="button">書き込む</button></div></div>
<p class="gaia-argoui-app-show-sidebar-empty">コメントはありません。</p></div>`;
}

function region(records: RecordSource, app: string, recordId: string, ctx: string): RecordRegion {
  const info = appInfo(app);
  const record = /^\d+$/.test(recordId) ? records.find('kintone', app, recordId) : undefined;
  const path = recordPath({ objectType: app, recordId }, ctx);
  if (!record) {
    return {
      found: false,
      title: `${info.name} - kintone`,
      path,
      html: html`${showToolbar(records, app, undefined)}<div class="gaia-argoui-app-show-layout"><div class="gaia-argoui-app-error record-not-found" role="alert"><p class="gaia-argoui-app-error-title">エラー</p><p class="gaia-argoui-app-error-message">指定したレコード（id: ${recordId || '（未指定）'}）が見つかりません。</p><p class="gaia-argoui-app-error-code">GAIA_RE01</p></div></div>`,
    };
  }
  return {
    found: true,
    record,
    title: `${record.name} - ${info.name} - kintone`,
    path,
    html: html`${showToolbar(records, app, record)}${statusBar(record)}<div class="gaia-argoui-app-show-layout"><div class="gaia-argoui-app-show-main">${recordBody(app, record)}</div>${sidebar()}</div>`,
  };
}

// ---------------------------------------------------------------- documents

function documentFor(opts: PageOptions, p: { title: string; ctx: string; app?: string; content: SafeHtml; show: boolean; recordId?: string; status?: string }): string {
  return renderDocument({
    title: p.title,
    lang: 'ja',
    css: CSS,
    bodyClass: 'body-top',
    bodyAttrs: {
      'data-lookalike-crm': 'kintone',
      'data-lookalike-ctx': p.ctx,
      'data-lookalike-object-type': p.app,
      'data-lookalike-record-id': p.recordId,
      'data-lookalike-status': p.status,
    },
    body: html`${header(p.ctx, p.app)}<div id="contents-gaia" class="contents-gaia">${p.show ? html`<div class="gaia-argoui-app-show" data-lookalike-region>${p.content}</div>` : p.content}</div>`,
    // Only the show page needs a script: it renders the record named by the hash.
    script: p.show ? HASH_CLIENT_JS : undefined,
    nonce: opts.nonce,
  });
}

function listPage(records: RecordSource, ctx: string, app: string): SafeHtml {
  const rows = records.list('kintone', app, 500);
  const fields = fieldsFor(app).slice(1);
  return html`<div class="gaia-argoui-app-index-toolbar"><div class="gaia-argoui-app-viewtoggle"><select class="gaia-argoui-app-viewselect"><option>（すべて）</option></select></div><button class="gaia-argoui-app-menu-add" title="レコードを追加する" type="button">＋</button><span class="gaia-argoui-app-index-pager">1 - ${rows.length} (${rows.length}件)</span></div>
<div class="gaia-argoui-app-index-list"><table class="recordlist-gaia"><thead><tr><th class="recordlist-header-cell-gaia"></th>${fields.map((f) => html`<th class="recordlist-header-cell-gaia label-${f.id}">${f.label}</th>`)}</tr></thead><tbody>
${rows.map((r) => html`<tr class="recordlist-row-gaia"><td class="recordlist-cell-gaia recordlist-show-cell-gaia"><a class="recordlist-show-gaia" href="${showPath(ctx, app)}${recordHash(r.recordId, {})}" title="レコードの詳細を表示する">▤</a></td>${fields.map((f) => html`<td class="recordlist-cell-gaia value-${f.id}"><div class="line-cell-gaia recordlist-ellipsis-gaia"><span>${f.value(r) ?? ''}</span></div></td>`)}</tr>`)}
</tbody></table></div>`;
}

function portal(records: RecordSource): SafeHtml {
  const apps = indexObjectTypes(records, kintone);
  return html`<div class="ocean-portal-body"><div class="ocean-portal-widget ocean-portal-announcement"><h3 class="ocean-portal-widget-title">お知らせ</h3><p>LeadLens look-alike: kintone のレコード</p></div>
<div class="ocean-portal-widget ocean-portal-apps"><h3 class="ocean-portal-widget-title">アプリ</h3><ul>
${apps.map((app) => html`<li class="ocean-portal-app"><a class="ocean-portal-app-link" href="/k/${app}/">▤ ${appInfo(app).name}</a><ul class="ocean-portal-app-records">${records.list('kintone', app, 10).map((r) => html`<li><a href="${recordPath(r)}">${r.name}</a></li>`)}</ul></li>`)}
</ul></div></div>`;
}

function page(url: URL, records: RecordSource, opts: PageOptions): RenderedPage | undefined {
  const path = url.pathname;
  const show = /^(\/k(?:\/guest\/\d+)?)\/(\d+)\/show\/?$/.exec(path);
  if (show) {
    const ctx = show[1] ?? '/k';
    const app = show[2] ?? '';
    // The server never sees #record=N: answer the shell, the script fills it in.
    const content = html`<div class="gaia-argoui-app-show-loading">読み込み中…</div>`;
    return { status: 200, html: documentFor(opts, { title: `${appInfo(app).name} - kintone`, ctx, app, content, show: true }) };
  }
  // The mobile record page names its record in the query (/k/m/<app>/show?record=<n>): served whole.
  const mobile = /^(\/k(?:\/guest\/\d+)?)\/m\/(\d+)\/show\/?$/.exec(path);
  if (mobile) {
    const ctx = mobile[1] ?? '/k';
    const r = region(records, mobile[2] ?? '', url.searchParams.get('record') ?? '', ctx);
    return { status: 200, html: documentFor(opts, { title: r.title, ctx, app: mobile[2], content: r.html, show: false, recordId: r.record?.recordId, status: r.found ? 'record' : 'not-found' }), recordFound: r.found };
  }
  const list = /^(\/k(?:\/guest\/\d+)?)\/(\d+)\/?$/.exec(path);
  if (list) {
    const ctx = list[1] ?? '/k';
    const app = list[2] ?? '';
    return { status: 200, html: documentFor(opts, { title: `${appInfo(app).name} - kintone`, ctx, app, content: listPage(records, ctx, app), show: false }) };
  }
  if (path === '/' || path === '/k' || path === '/k/') {
    return { status: 200, html: documentFor(opts, { title: 'ポータル - kintone', ctx: '/k', content: portal(records), show: false }) };
  }
  return undefined;
}

export const kintone: CrmSiteModule = {
  crm: 'kintone',
  label: 'kintone',
  defaultObjectTypes: Object.keys(APPS),
  page,
  region: (records, objectType, recordId, ctx) => region(records, objectType, recordId, safeCtx(ctx)),
  recordPath,
  /** The show page as it stands once its script has rendered the record named in the hash. */
  fixturePage(records, record) {
    const r = region(records, record.objectType, record.recordId, '/k');
    const n = neighbours(records, record.objectType, record.recordId);
    const url = `${showPath('/k', record.objectType)}${recordHash(record.recordId, { prev: n.prev?.recordId, next: n.next?.recordId })}`;
    return {
      url,
      html: documentFor({}, { title: r.title, ctx: '/k', app: record.objectType, content: r.html, show: true, recordId: record.recordId, status: r.found ? 'record' : 'not-found' }),
    };
  },
};

const CSS = `
body{font-family:"メイリオ",Meiryo,"Hiragino Kaku Gothic ProN","Noto Sans JP",sans-serif;font-size:14px;color:#333;background:#f5f5f5}
a{color:#3498db}
.gaia-header{position:fixed;top:0;left:0;right:0;z-index:50;background:#fff;box-shadow:0 1px 3px rgba(0,0,0,.15)}
.gaia-header-header{height:48px;display:flex;align-items:center;justify-content:space-between;padding:0 16px;border-bottom:1px solid #e3e7e8}
.gaia-header-logo-img{font-size:22px;font-weight:700;color:#fcb900;letter-spacing:.5px}
.gaia-header-toolbar{display:flex;align-items:center;gap:8px}
.gaia-header-toolbar-search-input{width:260px;height:30px;border:1px solid #e3e7e8;border-radius:15px;padding:0 12px;background:#f7f9fa}
.gaia-header-toolbar button{border:0;background:none;font-size:16px;color:#888}
.gaia-header-toolbar-user-photo{display:inline-flex;width:28px;height:28px;border-radius:50%;background:#3498db;color:#fff;font-size:13px;align-items:center;justify-content:center}
.gaia-argoui-app-breadcrumb{height:30px;line-height:30px;padding:0 16px;font-size:12px;background:#fff;border-bottom:1px solid #e3e7e8}
.gaia-argoui-breadcrumb-separator{margin:0 6px;color:#aaa}.gaia-argoui-breadcrumb-item{color:#666}
.gaia-argoui-app-titlebar{height:44px;display:flex;align-items:center;gap:8px;padding:0 16px;background:#fff}
.gaia-argoui-app-titlebar-content{font-size:18px;font-weight:700}
.contents-gaia{padding:140px 16px 24px}
.gaia-argoui-app-toolbar{display:flex;align-items:center;justify-content:space-between;background:#fff;border:1px solid #e3e7e8;padding:6px 10px}
.gaia-argoui-app-toolbar-menu{display:flex;gap:6px}
.gaia-argoui-app-toolbar-menu button{width:40px;height:40px;border:1px solid #e3e7e8;background:#f7f9fa;color:#3498db;font-size:18px;border-radius:4px}
.gaia-argoui-app-infobar{display:flex;align-items:center;gap:16px;color:#666;font-size:13px}
.gaia-argoui-app-infobar-pager{display:flex;gap:4px}
.gaia-argoui-app-infobar-pager a,.gaia-argoui-app-infobar-pager span{display:inline-flex;width:36px;height:36px;align-items:center;justify-content:center;border:1px solid #e3e7e8;background:#fff;font-size:22px;border-radius:4px}
.gaia-argoui-app-infobar-pager-disabled{color:#ccc}
.gaia-app-statusbar{display:flex;align-items:center;gap:24px;background:#fff;border:1px solid #e3e7e8;border-top:0;padding:8px 12px}
.gaia-app-statusbar-state-label-title,.gaia-app-statusbar-assignee-title{color:#888;font-size:12px;margin-right:8px}
.gaia-app-statusbar-state-label{display:inline-block;background:#3498db;color:#fff;padding:2px 12px;border-radius:12px}
.gaia-app-statusbar-action{border:1px solid #3498db;background:#fff;color:#3498db;padding:4px 12px;border-radius:4px}
.gaia-argoui-app-show-layout{display:grid;grid-template-columns:minmax(0,1fr) 328px;gap:16px;margin-top:12px}
.record-gaia{background:#fff;border:1px solid #e3e7e8;padding:16px}
.row-gaia{display:flex;flex-wrap:wrap;gap:16px;margin-bottom:12px}
.control-gaia{min-width:240px;flex:0 1 300px}
.control-label-gaia{font-size:12px;color:#888;padding:2px 0}
.control-value-gaia{min-height:32px;padding:6px 8px;border-bottom:1px solid #e3e7e8;word-break:break-all}
.control-member-list-gaia{display:flex}.control-member-item-gaia::before{content:"☺ "}
.gaia-argoui-app-show-sidebar{background:#fff;border:1px solid #e3e7e8;padding:12px}
.gaia-argoui-app-show-sidebar-tabs{display:flex;gap:16px;border-bottom:1px solid #e3e7e8;margin-bottom:12px}
.gaia-argoui-app-show-sidebar-tab{padding:6px 0;color:#888}.gaia-argoui-app-show-sidebar-tab-selected{color:#333;border-bottom:2px solid #3498db}
.ocean-ui-comments-commentform-form{border:1px solid #e3e7e8;border-radius:4px;padding:0}
.ocean-ui-editor-field{min-height:64px;padding:10px;outline:none}.ocean-ui-editor-field:empty::before{content:attr(data-placeholder);color:#aaa}
.ocean-ui-comments-commentform-toolbar{display:flex;justify-content:flex-end;margin-top:8px}
.ocean-ui-comments-commentform-submit{border:1px solid #3498db;background:#3498db;color:#fff;border-radius:4px;padding:6px 16px}
.gaia-argoui-app-show-sidebar-empty{color:#aaa;font-size:12px;padding:12px 0}
.gaia-argoui-app-error{background:#fff;border:1px solid #e74c3c;padding:24px;grid-column:1/2}
.gaia-argoui-app-error-title{color:#e74c3c;font-weight:700;margin-bottom:8px}.gaia-argoui-app-error-code{color:#aaa;font-size:12px;margin-top:8px}
.gaia-argoui-app-show-loading{padding:24px;color:#888}
.gaia-argoui-app-index-toolbar{display:flex;align-items:center;gap:12px;background:#fff;border:1px solid #e3e7e8;padding:8px 12px}
.gaia-argoui-app-menu-add{width:40px;height:40px;border-radius:50%;border:0;background:#3498db;color:#fff;font-size:20px}
.recordlist-gaia{width:100%;border-collapse:collapse;background:#fff;margin-top:12px}
.recordlist-gaia th,.recordlist-gaia td{border:1px solid #e3e7e8;padding:8px;text-align:left;font-size:13px}.recordlist-gaia th{background:#f7f9fa;color:#666;font-weight:400}
.ocean-portal-body{display:grid;grid-template-columns:1fr 1fr;gap:16px}
.ocean-portal-widget{background:#fff;border:1px solid #e3e7e8;padding:16px}.ocean-portal-widget-title{font-size:15px;margin-bottom:8px}
.ocean-portal-app{margin-bottom:8px}.ocean-portal-app-records{padding-left:20px;font-size:13px}
`;
