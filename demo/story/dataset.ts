/**
 * Deterministic demo data set: the same seed and `now` always give byte-identical output, so
 * demos, e2e tests and screenshots are reproducible. All randomness comes from one mulberry32
 * stream consumed in a fixed order; nothing reads the real clock.
 *
 * Leads are drawn from "personas" that reproduce the situations Japanese sales teams meet:
 * lost a few days ago yet active on the web, complained, 85 % of a video watched,
 * dormant and waking, hot inside the 2-hour call window, called 3+ times in 30 days. A few
 * hand-built leads (`featured`) give demos and tests fixed ids to open.
 */
import { toEighteenCharId } from '../../utils/crm/salesforce';
import type { CrmRef } from '../../utils/api/contract';
import { scoreAt, type LeadEvent as ScoredEvent, type LeadProfile as ScoredProfile } from '../../server/scoring/model';
import { DEFAULT_RULES } from '../../server/scoring/rules';

/** A story lead's profile: who they are and where their records live, besides what the model scores. */
export interface LeadProfile extends ScoredProfile {
  id: string;
  name: string;
  company?: string;
  email?: string;
  owner?: { id: string; name: string };
  crmRefs: CrmRef[];
}

/** One touchpoint of a story lead (`at` in epoch ms), with what the timeline shows besides what the model scores. */
export interface LeadEvent extends ScoredEvent {
  detail?: string;
  url?: string;
  actor?: string;
}

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const JST_OFFSET = 9 * HOUR;

// ---------------------------------------------------------------------------------------------
// PRNG

/** mulberry32: tiny, fast, good enough for demo data, and identical on every platform. */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

class Rng {
  constructor(readonly next: () => number) {}
  /** Integer in [min, max]. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }
  range(min: number, max: number): number {
    return min + this.next() * (max - min);
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
  pick<T>(items: readonly T[]): T {
    const item = items[Math.floor(this.next() * items.length)];
    if (item === undefined) throw new Error('pick from an empty list');
    return item;
  }
  weighted<T extends string>(weights: Readonly<Record<T, number>>): T {
    const entries = Object.entries(weights) as [T, number][];
    const total = entries.reduce((s, [, w]) => s + w, 0);
    let r = this.next() * total;
    for (const [key, w] of entries) {
      r -= w;
      if (r < 0) return key;
    }
    const lastEntry = entries[entries.length - 1];
    if (!lastEntry) throw new Error('weighted pick from an empty table');
    return lastEntry[0];
  }
}

// ---------------------------------------------------------------------------------------------
// Public types

export interface DemoUser {
  id: string;
  name: string;
  email: string;
}

export interface DatasetLead {
  profile: LeadProfile;
  /** Sorted ascending by time; ids are `<leadId>-e<n>` in that order. */
  events: LeadEvent[];
}

/** Lead ids with a known story, for demos and tests. */
export interface Featured {
  /** Hot, need detected 45 min before `now` (seminar attended), u-sato, salesforce Lead. `npm run demo` opens it first. */
  hotNow: string;
  /** Warm, u-sato, salesforce Lead: one seminar_attended event makes it hot. */
  almostHot: string;
  /** Lost 5 days ago, busy on the web since (re-flagging such a lead is how complaints start): recently_lost block. */
  lostRecently: string;
  /** Complained 20 days ago: do_not_call. */
  complained: string;
  /** Asleep for months, opened/clicked/visited in the last days: stage sleep, waking. */
  waking: string;
  /** 3 calls in 30 days, the last 10 h ago: contact_cap + recent_call warnings. */
  contactCapped: string;
  /** Watched 85 % of an on-demand video 90 min ago: need detected (≥ 80 % counts as a need). */
  videoWatched: string;
}

export interface Dataset {
  seed: number;
  /** The `now` the data was generated against (epoch ms). */
  now: number;
  users: DemoUser[];
  leads: DatasetLead[];
  featured: Featured;
}

export interface DatasetOptions {
  seed?: number;
  /** Total leads including the featured ones (at least as many as there are featured). */
  leadCount?: number;
  now: Date;
}

export const DEFAULT_SEED = 20250729;
export const DEFAULT_LEAD_COUNT = 2000;

export const DEMO_USER: DemoUser = { id: 'u-sato', name: '佐藤 健', email: 'sato@example.jp' };

export const USERS: readonly DemoUser[] = [
  DEMO_USER,
  { id: 'u-suzuki', name: '鈴木 花子', email: 'suzuki@example.jp' },
  { id: 'u-takahashi', name: '高橋 翔', email: 'takahashi@example.jp' },
  { id: 'u-tanaka', name: '田中 美咲', email: 'tanaka@example.jp' },
  { id: 'u-ito', name: '伊藤 直樹', email: 'ito@example.jp' },
  { id: 'u-watanabe', name: '渡辺 彩', email: 'watanabe@example.jp' },
  { id: 'u-yamamoto', name: '山本 大輔', email: 'yamamoto@example.jp' },
  { id: 'u-smith', name: 'Emily Smith', email: 'e.smith@example.jp' },
];

export const FEATURED: Featured = {
  hotNow: 'lead-00001',
  almostHot: 'lead-00002',
  lostRecently: 'lead-00003',
  complained: 'lead-00004',
  waking: 'lead-00005',
  contactCapped: 'lead-00006',
  videoWatched: 'lead-00007',
};

export const leadId = (n: number): string => `lead-${String(n).padStart(5, '0')}`;

// ---------------------------------------------------------------------------------------------
// CRM references

export const SALESFORCE_HOST = 'https://leadlens-demo.lightning.force.com';
export const KINTONE_HOST = 'https://leadlens-demo.cybozu.com';
export const KINTONE_LEADS_APP = '12';
export const HUBSPOT_PORTAL = '4455667';
export const DYNAMICS_HOST = 'https://leadlens-demo.crm7.dynamics.com';
export const DYNAMICS_APP_ID = '8f0d2b1e-0000-4000-8000-000000000001';
export const ZOHO_ORG = 'org7001234567';

const SF_PREFIX: Readonly<Record<string, string>> = { Lead: '00Q', Contact: '003', Account: '001', Opportunity: '006' };
const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

/** The 18-character form of a 15-character Salesforce id: the extension's own implementation. */
export const salesforceChecksum = toEighteenCharId;

// Every ref names its tenant as the CRM's connector would: the org's My Domain, the kintone or
// Dynamics host, the HubSpot portal, the Zoho data centre.
export const SALESFORCE_TENANT = 'leadlens-demo.my.salesforce.com';
const KINTONE_TENANT = new URL(KINTONE_HOST).hostname;
const DYNAMICS_TENANT = new URL(DYNAMICS_HOST).hostname;

export function salesforceRef(objectType: string, id18: string): CrmRef {
  return { crm: 'salesforce', objectType, recordId: id18, url: `${SALESFORCE_HOST}/lightning/r/${objectType}/${id18}/view`, host: SALESFORCE_TENANT };
}
export function kintoneRef(record: number): CrmRef {
  return { crm: 'kintone', objectType: KINTONE_LEADS_APP, recordId: String(record), url: `${KINTONE_HOST}/k/${KINTONE_LEADS_APP}/show#record=${record}`, host: KINTONE_TENANT };
}
export function hubspotRef(id: string): CrmRef {
  return { crm: 'hubspot', objectType: '0-1', recordId: id, url: `https://app.hubspot.com/contacts/${HUBSPOT_PORTAL}/record/0-1/${id}`, host: HUBSPOT_PORTAL };
}
export function dynamicsRef(etn: string, guid: string): CrmRef {
  return {
    crm: 'dynamics',
    objectType: etn,
    recordId: guid,
    url: `${DYNAMICS_HOST}/main.aspx?appid=${DYNAMICS_APP_ID}&pagetype=entityrecord&etn=${etn}&id=${guid}`,
    host: DYNAMICS_TENANT,
  };
}
export function zohoRef(module: string, id: string): CrmRef {
  return { crm: 'zoho', objectType: module, recordId: id, url: `https://crm.zoho.jp/crm/${ZOHO_ORG}/tab/${module}/${id}`, host: 'crm.zoho.jp' };
}

/** Draws CRM record ids that look like the real thing and never repeat within a data set. */
class CrmIds {
  private readonly used = new Set<string>();
  constructor(private readonly rng: Rng) {}

  private unique(make: () => string): string {
    for (;;) {
      const id = make();
      if (!this.used.has(id)) {
        this.used.add(id);
        return id;
      }
    }
  }
  reserve(id: string): string {
    this.used.add(id);
    return id;
  }
  salesforce(objectType: string): string {
    const prefix = SF_PREFIX[objectType] ?? '00Q';
    return this.unique(() => {
      let tail = '';
      for (let i = 0; i < 5; i++) tail += BASE62.charAt(this.rng.int(0, 61));
      return salesforceChecksum(`${prefix}5g00000${tail}`);
    });
  }
  kintone(): number {
    return Number(this.unique(() => String(this.rng.int(1, 60_000))));
  }
  hubspot(): string {
    return this.unique(() => String(this.rng.int(10_000, 99_999)) + String(this.rng.int(100_000, 999_999)));
  }
  dynamics(): string {
    const hex = (n: number): string => {
      let s = '';
      for (let i = 0; i < n; i++) s += this.rng.int(0, 15).toString(16);
      return s;
    };
    return this.unique(() => `${hex(8)}-${hex(4)}-4${hex(3)}-${'89ab'.charAt(this.rng.int(0, 3))}${hex(3)}-${hex(12)}`);
  }
  zoho(): string {
    return this.unique(() => {
      let digits = '';
      for (let i = 0; i < 12; i++) digits += String(this.rng.int(0, 9));
      return `5725767${digits}`;
    });
  }
}

/** The CRMs the demo's people live in, and their shares; a CRM left out has no demo leads. */
type CrmName = 'salesforce' | 'kintone' | 'hubspot' | 'dynamics' | 'zoho';
const CRM_WEIGHTS: Readonly<Record<CrmName, number>> = { salesforce: 35, kintone: 20, hubspot: 20, dynamics: 12, zoho: 13 };

/** A person record in the given CRM (salesforce/dynamics/zoho alternate Lead and Contact). */
function personRef(crm: CrmName, ids: CrmIds, rng: Rng): CrmRef {
  switch (crm) {
    case 'salesforce': {
      const type = rng.chance(0.65) ? 'Lead' : 'Contact';
      return salesforceRef(type, ids.salesforce(type));
    }
    case 'kintone':
      return kintoneRef(ids.kintone());
    case 'hubspot':
      return hubspotRef(ids.hubspot());
    case 'dynamics':
      return dynamicsRef(rng.chance(0.6) ? 'lead' : 'contact', ids.dynamics());
    case 'zoho':
      return zohoRef(rng.chance(0.6) ? 'Leads' : 'Contacts', ids.zoho());
  }
}

/** 1–2 refs: a person record, and sometimes the Account/Opportunity behind it or a second CRM. */
function crmRefs(ids: CrmIds, rng: Rng): CrmRef[] {
  const primaryCrm = rng.weighted(CRM_WEIGHTS);
  const refs = [personRef(primaryCrm, ids, rng)];
  if (rng.chance(0.4)) {
    if (primaryCrm === 'salesforce' && rng.chance(0.5)) {
      const type = rng.chance(0.6) ? 'Account' : 'Opportunity';
      refs.push(salesforceRef(type, ids.salesforce(type)));
    } else {
      let other = rng.weighted(CRM_WEIGHTS);
      while (other === primaryCrm) other = rng.weighted(CRM_WEIGHTS);
      refs.push(personRef(other, ids, rng));
    }
  }
  return refs;
}

// ---------------------------------------------------------------------------------------------
// People and companies

const JP_SURNAMES: readonly (readonly [string, string])[] = [
  ['佐藤', 'sato'], ['鈴木', 'suzuki'], ['高橋', 'takahashi'], ['田中', 'tanaka'], ['伊藤', 'ito'],
  ['渡辺', 'watanabe'], ['山本', 'yamamoto'], ['中村', 'nakamura'], ['小林', 'kobayashi'], ['加藤', 'kato'],
  ['吉田', 'yoshida'], ['山田', 'yamada'], ['佐々木', 'sasaki'], ['山口', 'yamaguchi'], ['松本', 'matsumoto'],
  ['井上', 'inoue'], ['木村', 'kimura'], ['林', 'hayashi'], ['斎藤', 'saito'], ['清水', 'shimizu'],
  ['山崎', 'yamazaki'], ['森', 'mori'], ['池田', 'ikeda'], ['橋本', 'hashimoto'], ['阿部', 'abe'],
  ['石川', 'ishikawa'], ['山下', 'yamashita'], ['中島', 'nakajima'], ['石井', 'ishii'], ['小川', 'ogawa'],
  ['前田', 'maeda'], ['岡田', 'okada'], ['長谷川', 'hasegawa'], ['藤田', 'fujita'], ['後藤', 'goto'],
  ['近藤', 'kondo'], ['村上', 'murakami'], ['遠藤', 'endo'], ['青木', 'aoki'], ['坂本', 'sakamoto'],
];
const JP_GIVEN: readonly (readonly [string, string])[] = [
  ['太郎', 'taro'], ['一郎', 'ichiro'], ['健太', 'kenta'], ['翔太', 'shota'], ['大輔', 'daisuke'],
  ['拓也', 'takuya'], ['直樹', 'naoki'], ['誠', 'makoto'], ['浩', 'hiroshi'], ['隆', 'takashi'],
  ['亮', 'ryo'], ['悠斗', 'yuto'], ['蓮', 'ren'], ['陽菜', 'hina'], ['花子', 'hanako'],
  ['美咲', 'misaki'], ['由美', 'yumi'], ['恵', 'megumi'], ['彩', 'aya'], ['舞', 'mai'],
  ['愛', 'ai'], ['真由美', 'mayumi'], ['智子', 'tomoko'], ['裕子', 'yuko'], ['千尋', 'chihiro'],
  ['結衣', 'yui'], ['さくら', 'sakura'], ['奈々', 'nana'], ['香織', 'kaori'], ['綾乃', 'ayano'],
];
const EN_FIRST = ['Emily', 'James', 'Olivia', 'Michael', 'Sarah', 'David', 'Emma', 'Daniel', 'Sophia', 'Matthew',
  'Jessica', 'Andrew', 'Laura', 'Robert', 'Hannah', 'Thomas', 'Rachel', 'Kevin', 'Megan', 'Brian'] as const;
const EN_LAST = ['Smith', 'Johnson', 'Williams', 'Brown', 'Jones', 'Miller', 'Davis', 'Wilson', 'Anderson', 'Taylor',
  'Thomas', 'Moore', 'Martin', 'Jackson', 'White', 'Harris', 'Clark', 'Lewis', 'Walker', 'Young'] as const;

const JP_COMPANY_CORES: readonly (readonly [string, string])[] = [
  ['アクメ', 'acme'], ['ミライ', 'mirai'], ['サクラ', 'sakura'], ['ヒカリ', 'hikari'], ['アオバ', 'aoba'],
  ['大和', 'yamato'], ['東洋', 'toyo'], ['北斗', 'hokuto'], ['富士', 'fuji'], ['昭和', 'showa'],
  ['日本橋', 'nihonbashi'], ['ハヤブサ', 'hayabusa'], ['コスモ', 'cosmo'], ['ユニオン', 'union'], ['三つ星', 'mitsuboshi'],
  ['青空', 'aozora'], ['大洋', 'taiyo'], ['丸の内', 'marunouchi'], ['浪速', 'naniwa'], ['瀬戸内', 'setouchi'],
  ['みなと', 'minato'], ['つばさ', 'tsubasa'], ['あさひ', 'asahi'], ['ソレイユ', 'soleil'], ['ネクスト', 'next'],
  ['エール', 'yell'], ['リンクス', 'links'], ['フロンティア', 'frontier'], ['関東', 'kanto'], ['九州', 'kyushu'],
];
const JP_COMPANY_SUFFIXES: readonly (readonly [string, string])[] = [
  ['', ''], ['商事', 'shoji'], ['工業', 'kogyo'], ['テクノロジーズ', 'tech'], ['システムズ', 'systems'], ['物流', 'logi'],
  ['ホールディングス', 'hd'], ['製作所', 'works'], ['不動産', 'estate'], ['食品', 'foods'], ['建設', 'kensetsu'], ['人材サービス', 'hr'],
];
const EN_COMPANIES: readonly (readonly [string, string])[] = [
  ['Globex Japan', 'globex'], ['Initech KK', 'initech'], ['Northwind Traders', 'northwind'], ['Contoso Ltd.', 'contoso'],
  ['Fabrikam Inc.', 'fabrikam'], ['Tailspin Toys', 'tailspin'], ['Wide World Importers', 'wideworld'], ['Adventure Works', 'adventureworks'],
  ['Litware Inc.', 'litware'], ['Proseware', 'proseware'], ['Woodgrove Bank', 'woodgrove'], ['Coho Winery', 'coho'],
  ['Lucerne Publishing', 'lucerne'], ['Fourth Coffee', 'fourthcoffee'], ['Alpine Ski House', 'alpineski'], ['Trey Research', 'treyresearch'],
];
const JP_TITLES = ['代表取締役', '取締役', '営業本部長', '営業部 部長', '情報システム部 部長', 'マーケティング部 課長', '総務部 課長',
  '人事部 主任', '営業企画 担当', '経営企画室 室長', '情報システム部 担当', '営業部 マネージャー', '経理部 担当', 'カスタマーサクセス 担当'] as const;
const EN_TITLES = ['CEO', 'VP Sales', 'Director of Marketing', 'IT Manager', 'Sales Manager', 'Marketing Specialist',
  'Operations Analyst', 'Head of HR', 'Account Executive', 'Project Coordinator'] as const;

interface Company {
  name: string;
  domain: string;
  employees: number;
}

function japaneseCompany(rng: Rng): Company {
  const [core, coreSlug] = rng.pick(JP_COMPANY_CORES);
  const [suffix, suffixSlug] = rng.pick(JP_COMPANY_SUFFIXES);
  // 株式会社 before or after the name, both common; a bare core needs it in front.
  const name = suffix === '' || rng.chance(0.6) ? `株式会社${core}${suffix}` : `${core}${suffix}株式会社`;
  const slug = suffixSlug ? `${coreSlug}-${suffixSlug}` : coreSlug;
  return { name, domain: `${slug}.example.jp`, employees: headCount(rng) };
}

function englishCompany(rng: Rng): Company {
  const [name, slug] = rng.pick(EN_COMPANIES);
  return { name, domain: `${slug}.example.com`, employees: headCount(rng) };
}

/** Log-uniform 10–5,000: many small companies, a few large ones. */
const headCount = (rng: Rng): number => Math.round(Math.exp(rng.range(Math.log(10), Math.log(5000))));

interface Person {
  name: string;
  email: string;
  jobTitle: string;
  company: Company;
  english: boolean;
}

function person(rng: Rng, emails: Set<string>): Person {
  const english = rng.chance(0.3);
  const company = english ? englishCompany(rng) : japaneseCompany(rng);
  let name: string;
  let local: string;
  let jobTitle: string;
  if (english) {
    const first = rng.pick(EN_FIRST);
    const last = rng.pick(EN_LAST);
    name = `${first} ${last}`;
    local = `${first}.${last}`.toLowerCase();
    jobTitle = rng.pick(EN_TITLES);
  } else {
    const [sur, surRomaji] = rng.pick(JP_SURNAMES);
    const [given, givenRomaji] = rng.pick(JP_GIVEN);
    name = `${sur} ${given}`;
    local = `${givenRomaji}.${surRomaji}`;
    jobTitle = rng.pick(JP_TITLES);
  }
  let email = `${local}@${company.domain}`;
  for (let n = 2; emails.has(email); n++) email = `${local}${n}@${company.domain}`;
  emails.add(email);
  return { name, email, jobTitle, company, english };
}

// ---------------------------------------------------------------------------------------------
// Content catalogue (what leads open, click, attend, watch)

interface Content {
  seminar: string;
  video: string;
  mail: string;
  doc: string;
  page: string;
}
interface Topic {
  topic: string;
  path: string;
  ja: Content;
  en: Content;
}

const SITE = 'https://www.leadlens-demo.example';

const TOPICS: readonly Topic[] = [
  {
    topic: 'kintone', path: '/products/kintone',
    ja: { seminar: 'kintone活用セミナー', video: 'kintone入門オンデマンド', mail: '【kintone】現場で使える業務アプリ10選', doc: 'kintone導入ガイド', page: 'kintone 製品紹介' },
    en: { seminar: 'kintone Essentials Webinar', video: 'Getting started with kintone', mail: '10 kintone apps your team will actually use', doc: 'kintone adoption guide', page: 'kintone product tour' },
  },
  {
    topic: '営業DX', path: '/solutions/sales',
    ja: { seminar: '営業DX実践セミナー', video: '営業DXはじめの一歩', mail: '営業の生産性を上げる3つの習慣', doc: '営業DXホワイトペーパー', page: '営業支援ソリューション' },
    en: { seminar: 'Sales DX in Practice', video: 'Sales DX: first steps', mail: '3 habits of productive sales teams', doc: 'Sales DX white paper', page: 'Sales enablement solutions' },
  },
  {
    topic: 'MA', path: '/solutions/marketing',
    ja: { seminar: 'MA×インサイドセールス勉強会', video: 'MA運用のつまずきポイント', mail: 'スコアリング設計の基本', doc: 'MA導入チェックリスト', page: 'マーケティング支援' },
    en: { seminar: 'Marketing automation meets inside sales', video: 'Marketing automation pitfalls', mail: 'Lead scoring basics', doc: 'Marketing automation checklist', page: 'Marketing solutions' },
  },
  {
    topic: 'セキュリティ', path: '/security',
    ja: { seminar: 'クラウドセキュリティ対策セミナー', video: 'ゼロトラスト入門', mail: '情報漏えいを防ぐ5つのチェック', doc: 'セキュリティホワイトペーパー', page: 'セキュリティへの取り組み' },
    en: { seminar: 'Cloud Security Webinar', video: 'Zero trust in 20 minutes', mail: '5 checks against data leaks', doc: 'Security white paper', page: 'Security at LeadLens' },
  },
  {
    topic: '採用', path: '/solutions/recruiting',
    ja: { seminar: '採用DXセミナー', video: '母集団形成の新常識', mail: '中途採用の成功事例', doc: '採用管理テンプレート集', page: '採用管理ソリューション' },
    en: { seminar: 'Recruiting DX Webinar', video: 'Building a candidate pipeline', mail: 'How mid-career hiring succeeds', doc: 'Recruiting templates', page: 'Recruiting solutions' },
  },
  {
    topic: 'データ活用', path: '/solutions/analytics',
    ja: { seminar: 'データ活用ワークショップ', video: 'ダッシュボード設計入門', mail: '現場で使えるデータ分析', doc: 'データ活用レポート2025', page: 'BI連携' },
    en: { seminar: 'Data-driven Sales Workshop', video: 'Dashboard design basics', mail: 'Analytics your team will use', doc: 'Data report 2025', page: 'BI integrations' },
  },
  {
    topic: '働き方改革', path: '/solutions/workstyle',
    ja: { seminar: 'ハイブリッドワーク推進セミナー', video: 'テレワーク定着のコツ', mail: '働き方改革のよくある誤解', doc: 'テレワーク導入ハンドブック', page: 'ワークスタイル支援' },
    en: { seminar: 'Hybrid Work Webinar', video: 'Making remote work stick', mail: 'Myths about workstyle reform', doc: 'Remote work handbook', page: 'Workstyle solutions' },
  },
];

/** Static data: a topic by name, for the hand-built leads. */
function topicNamed(name: string): Topic {
  const t = TOPICS.find((x) => x.topic === name);
  if (!t) throw new Error(`unknown topic ${name}`);
  return t;
}

const LOSS_REASONS = ['price', 'timing', 'competitor', 'no_need', 'other'] as const;
const LOSS_TITLES: Readonly<Record<(typeof LOSS_REASONS)[number], string>> = {
  price: '失注: 予算が合わない', timing: '失注: 今期は見送り', competitor: '失注: 他社に決定', no_need: '失注: ニーズなし', other: '失注: その他',
};

// ---------------------------------------------------------------------------------------------
// Event builders

type Draft = Omit<LeadEvent, 'id'>;

/** Builds the events of one lead against a fixed `now`, all relative to it. */
class Timeline {
  readonly drafts: Draft[] = [];
  constructor(readonly now: number, readonly rng: Rng, readonly english: boolean, readonly owner?: DemoUser) {}

  private content(t: Topic): Content {
    return this.english ? t.en : t.ja;
  }
  private add(d: Draft): this {
    // Never in the future of `now`: the model ignores such events and they would confuse demos.
    // Whole seconds, as CRMs and MA tools record them.
    this.drafts.push({ ...d, at: Math.floor(Math.min(d.at, this.now - MINUTE) / 1000) * 1000 });
    return this;
  }
  /** A time on the JST business day `daysAgo` days back (9:30–18:30), never after now. */
  businessTime(daysAgo: number): number {
    const day = Math.floor((this.now - daysAgo * DAY + JST_OFFSET) / DAY) * DAY - JST_OFFSET;
    let at = day + 9.5 * HOUR + this.rng.int(0, 9 * 60) * MINUTE;
    while (at >= this.now) at -= DAY;
    return at;
  }

  emailOpen(at: number, t: Topic): this {
    return this.add({ at, type: 'email_open', title: this.content(t).mail, channel: 'email', meta: { topic: t.topic } });
  }
  emailClick(at: number, t: Topic): this {
    return this.add({ at, type: 'email_click', title: this.content(t).mail, channel: 'email', url: `${SITE}${t.path}?utm_medium=email`, meta: { topic: t.topic } });
  }
  webVisit(at: number, t: Topic): this {
    return this.add({ at, type: 'web_visit', title: this.content(t).page, channel: 'web', url: `${SITE}${t.path}`, meta: { topic: t.topic } });
  }
  pricing(at: number): this {
    return this.add({ at, type: 'key_page', title: this.english ? 'Pricing' : '料金プラン', channel: 'web', url: `${SITE}/pricing`, meta: { topic: '料金' } });
  }
  caseStudy(at: number): this {
    const [core] = this.rng.pick(JP_COMPANY_CORES);
    const title = this.english ? `Case study: ${core} Corp.` : `導入事例: 株式会社${core}`;
    return this.add({ at, type: 'key_page', title, channel: 'web', url: `${SITE}/case-studies/${this.rng.int(1, 80)}`, meta: { topic: '導入事例' } });
  }
  download(at: number, t: Topic): this {
    return this.add({ at, type: 'download', title: this.content(t).doc, channel: 'web', url: `${SITE}/resources${t.path}.pdf`, meta: { topic: t.topic } });
  }
  seminarRegistered(at: number, t: Topic): this {
    return this.add({ at, type: 'seminar_registered', title: this.content(t).seminar, channel: 'seminar', meta: { topic: t.topic } });
  }
  seminarAttended(at: number, t: Topic): this {
    return this.add({ at, type: 'seminar_attended', title: this.content(t).seminar, channel: 'seminar', meta: { topic: t.topic, minutesAttended: this.rng.int(40, 90) } });
  }
  survey(at: number, t: Topic): this {
    const title = this.english ? `Post-seminar survey: ${t.en.seminar}` : `セミナー事後アンケート: ${t.ja.seminar}`;
    return this.add({ at, type: 'survey_answered', title, channel: 'survey', meta: { topic: t.topic, satisfaction: this.rng.int(3, 5), wantsContact: this.rng.chance(0.5) } });
  }
  video(at: number, t: Topic, watchedPercent: number): this {
    return this.add({ at, type: 'video_watched', title: this.content(t).video, channel: 'video', url: `${SITE}/videos${t.path}`, meta: { topic: t.topic, watchedPercent } });
  }
  inquiry(at: number, t: Topic): this {
    const title = this.english ? `Contact sales: ${t.en.page}` : `お問い合わせ: ${t.ja.page}について`;
    return this.add({ at, type: 'form_submit', title, channel: 'web', url: `${SITE}/contact`, meta: { form: 'inquiry', topic: t.topic } });
  }
  line(at: number): this {
    return this.add({ at, type: 'line_message', title: this.english ? 'LINE: question about the brochure' : 'LINE: 資料について質問', channel: 'line' });
  }
  sms(at: number): this {
    return this.add({ at, type: 'sms', title: this.english ? 'SMS reply: call me tomorrow' : 'SMS返信: 明日なら対応可', channel: 'sms' });
  }
  call(at: number, outcome: 'connected' | 'no_answer' | 'meeting_set' | 'lost' | 'complaint', note?: string): this {
    return this.add({
      at, type: 'call', title: `Call: ${outcome.replace('_', ' ')}`, channel: 'phone',
      ...(this.owner ? { actor: this.owner.name } : {}),
      ...(note ? { detail: note } : {}),
      meta: { outcome },
    });
  }
  lost(at: number, reason: (typeof LOSS_REASONS)[number]): this {
    return this.add({ at, type: 'deal_lost', title: LOSS_TITLES[reason], channel: 'crm', ...(this.owner ? { actor: this.owner.name } : {}), meta: { lossReason: reason } });
  }
  won(at: number): this {
    return this.add({ at, type: 'deal_won', title: this.english ? 'Won: annual plan' : '受注: 年間プラン', channel: 'crm', ...(this.owner ? { actor: this.owner.name } : {}) });
  }
  complaint(at: number): this {
    // The classic complaint after a lead is called again and again: 「何度も電話をかけてくるな!」
    return this.add({ at, type: 'complaint', title: this.english ? 'Complaint: too many calls' : 'クレーム: 何度も電話をかけてくるな', channel: 'phone', detail: this.english ? 'Asked us to stop calling.' : '架電停止の要望あり', meta: { source: 'call_center' } });
  }

  /** A touch of the light/medium kind, at the given age; high-intent kinds only when old. */
  randomTouch(at: number): this {
    const t = this.rng.pick(TOPICS);
    const old = this.now - at > (DEFAULT_RULES.needLookbackDays + 5) * DAY;
    const kind = this.rng.weighted({ open: 50, click: 16, visit: 18, pricing: 3, case: 3, download: 3, registered: 2, attended: 1.5, video: 2, inquiry: 0.5, line: 0.6, sms: 0.4 });
    switch (kind) {
      case 'open': return this.emailOpen(at, t);
      case 'click': return this.emailClick(at, t);
      case 'visit': return this.webVisit(at, t);
      case 'pricing': return this.pricing(at);
      case 'case': return this.caseStudy(at);
      case 'download': return this.download(at, t);
      case 'registered': return this.seminarRegistered(at, t);
      // Recent high-intent events belong to the personas that tell that story, not to noise.
      case 'attended': return old ? this.seminarAttended(at, t) : this.seminarRegistered(at, t);
      case 'video': return this.video(at, t, old ? this.rng.int(10, 100) : this.rng.int(10, 70));
      case 'inquiry': return old ? this.inquiry(at, t) : this.webVisit(at, t);
      case 'line': return this.line(at);
      case 'sms': return this.sms(at);
    }
  }
  /** `count` random touches spread over [minDays, maxDays] ago. */
  background(count: number, minDays: number, maxDays: number): this {
    for (let i = 0; i < count; i++) this.randomTouch(this.now - this.rng.range(minDays, maxDays) * DAY);
    return this;
  }
  /** Recent interest: pricing, case studies, clicks, a download, over the last `days`. */
  burst(days: number, size: number): this {
    for (let i = 0; i < size; i++) {
      const at = this.now - this.rng.range(0.1, days) * DAY;
      const t = this.rng.pick(TOPICS);
      const kind = this.rng.weighted({ pricing: 2, case: 2, click: 3, visit: 3, download: 1.5 });
      if (kind === 'pricing') this.pricing(at);
      else if (kind === 'case') this.caseStudy(at);
      else if (kind === 'click') this.emailClick(at, t);
      else if (kind === 'visit') this.webVisit(at, t);
      else this.download(at, t);
    }
    return this;
  }
  /** Old sales history: a call or two with the owner, long ago. */
  oldCalls(minDays: number, maxDays: number): this {
    const n = this.rng.int(0, 2);
    for (let i = 0; i < n; i++) this.call(this.businessTime(this.rng.range(minDays, maxDays)), this.rng.pick(['connected', 'no_answer'] as const));
    return this;
  }
}

// ---------------------------------------------------------------------------------------------
// Personas

const PERSONA_WEIGHTS = {
  nurture: 35, engaged: 20, hotRecent: 2, video85: 4, lostRecent: 4, complained: 2, callHeavy: 5,
  process: 6, won: 2, dormant: 12, waking: 3, churn: 5,
} as const;
type Persona = keyof typeof PERSONA_WEIGHTS;

function buildPersona(persona: Persona, tl: Timeline, profile: LeadProfile): void {
  const { rng, now } = tl;
  const t = rng.pick(TOPICS);
  switch (persona) {
    case 'nurture':
      // A few long-time subscribers have years of history: timelines several pages long.
      tl.background(rng.chance(0.05) ? rng.int(80, 150) : rng.int(15, 45), 0.2, 365).oldCalls(60, 365);
      return;
    case 'engaged': {
      // Warm on purpose: recent research, often a seminar; some cross the hot line.
      tl.background(rng.int(15, 40), 10, 365).oldCalls(60, 365).burst(10, rng.int(4, 12));
      if (rng.chance(0.6)) tl.seminarRegistered(now - rng.range(2, 12) * DAY, t);
      if (rng.chance(0.45)) {
        const at = now - rng.range(0.5, 12) * DAY;
        tl.seminarAttended(at, t);
        if (rng.chance(0.6)) tl.survey(at + rng.range(1, 10) * HOUR, t);
      }
      return;
    }
    case 'hotRecent': {
      tl.background(rng.int(15, 35), 10, 365).burst(5, rng.int(5, 9)).seminarRegistered(now - rng.range(2, 6) * DAY, t);
      const at = now - rng.int(5, 115) * MINUTE;
      const kind = rng.weighted({ seminar: 3, inquiry: 2, video: 1 });
      if (kind === 'seminar') tl.seminarAttended(at, t);
      else if (kind === 'inquiry') tl.inquiry(at, t);
      else tl.video(at, t, rng.int(80, 100));
      topUpToHot(tl, profile, at);
      return;
    }
    case 'video85':
      tl.background(rng.int(15, 40), 10, 365).burst(7, rng.int(1, 5)).video(now - rng.range(2 * HOUR, 4 * DAY), t, rng.int(80, 100));
      return;
    case 'lostRecent': {
      const lostAt = tl.businessTime(rng.int(3, 10));
      tl.background(rng.int(15, 40), 12, 365).call(lostAt - rng.range(7, 30) * DAY, 'connected').call(lostAt, 'lost').lost(lostAt + 10 * MINUTE, rng.pick(LOSS_REASONS));
      // The lost customer keeps reacting on the web, which would re-flag them.
      tl.burst((now - lostAt) / DAY, rng.int(2, 7));
      return;
    }
    case 'complained': {
      const at = tl.businessTime(rng.range(1, 200));
      tl.background(rng.int(15, 40), 0.5, 365).call(at - 3 * DAY, 'no_answer').call(at - DAY, 'no_answer').complaint(at);
      return;
    }
    case 'callHeavy': {
      tl.background(rng.int(15, 40), 1, 365).burst(10, rng.int(1, 5));
      const n = rng.int(3, 5);
      for (let i = 0; i < n; i++) tl.call(tl.businessTime(rng.range(0.3, 29)), rng.pick(['no_answer', 'no_answer', 'connected'] as const));
      return;
    }
    case 'process':
      tl.background(rng.int(15, 40), 1, 365).burst(20, rng.int(1, 4)).call(tl.businessTime(rng.range(5, 60)), 'meeting_set', '訪問日程を調整中');
      return;
    case 'won':
      tl.background(rng.int(15, 40), 1, 365).call(tl.businessTime(rng.range(40, 80)), 'meeting_set').won(tl.businessTime(rng.range(10, 39)));
      return;
    case 'dormant':
      tl.background(rng.int(10, 30), 70, 400).oldCalls(90, 400);
      return;
    case 'waking':
      tl.background(rng.int(10, 30), 75, 400).oldCalls(90, 400);
      for (let i = rng.int(2, 5); i > 0; i--) {
        const at = now - rng.range(0.1, 6) * DAY;
        const kind = rng.weighted({ open: 3, click: 2, visit: 2, pricing: 1 });
        if (kind === 'open') tl.emailOpen(at, t);
        else if (kind === 'click') tl.emailClick(at, t);
        else if (kind === 'visit') tl.webVisit(at, t);
        else tl.pricing(at);
      }
      return;
    case 'churn': {
      const lostAt = tl.businessTime(rng.range(100, 300));
      tl.background(rng.int(12, 35), (now - lostAt) / DAY + 1, 500).call(lostAt, 'lost').lost(lostAt + 5 * MINUTE, rng.pick(LOSS_REASONS));
      // After losing they only open mail now and then.
      for (let i = rng.int(0, 6); i > 0; i--) tl.emailOpen(now - rng.range(1, (now - lostAt) / DAY - 1) * DAY, rng.pick(TOPICS));
      return;
    }
  }
}

/**
 * Adds recent pricing/case-study views before `before` until the lead is hot at `now`, so a
 * "hot in the last 2 hours" persona really is hot whatever the profile draw gave it.
 */
function topUpToHot(tl: Timeline, profile: LeadProfile, before: number): void {
  for (let i = 0; i < 10; i++) {
    const events = finalize(profile.id, tl.drafts);
    if (scoreAt(profile, events, tl.now, DEFAULT_RULES) >= DEFAULT_RULES.hotThreshold) return;
    const at = before - tl.rng.range(0.5, 48) * HOUR;
    if (i % 2 === 0) tl.pricing(at);
    else tl.caseStudy(at);
  }
}

/** Sort and number the drafts: ids follow time order, so they are stable for a given seed. */
function finalize(id: string, drafts: readonly Draft[]): LeadEvent[] {
  return [...drafts]
    .sort((a, b) => a.at - b.at || a.type.localeCompare(b.type) || a.title.localeCompare(b.title))
    .map((d, i) => ({ id: `${id}-e${String(i + 1).padStart(3, '0')}`, ...d }));
}

// ---------------------------------------------------------------------------------------------
// Hand-built leads

interface FeaturedSpec {
  id: string;
  name: string;
  email: string;
  company: string;
  jobTitle: string;
  employees: number;
  owner: DemoUser;
  english: boolean;
  refs: (ids: CrmIds) => CrmRef[];
  build: (tl: Timeline) => void;
}

/** The featured leads; their randomness (background noise, CRM ids) comes through Timeline/CrmIds. */
function featuredSpecs(): FeaturedSpec[] {
  const ago = (now: number, ms: number): number => now - ms;
  const kintone = topicNamed('kintone');
  const salesDx = topicNamed('営業DX');
  const ma = topicNamed('MA');
  const security = topicNamed('セキュリティ');
  return [
    {
      id: FEATURED.hotNow, name: '田中 太郎', email: 'taro.tanaka@acme.example.jp', company: '株式会社アクメ',
      jobTitle: '情報システム部 部長', employees: 1200, owner: DEMO_USER, english: false,
      refs: (ids) => [salesforceRef('Lead', ids.reserve(salesforceChecksum('00Q5g00000HoTnW'))), kintoneRef(ids.kintone())],
      build: (tl) => {
        const n = tl.now;
        tl.background(12, 40, 200);
        tl.emailClick(ago(n, 6 * DAY), kintone).emailOpen(ago(n, 6 * DAY + HOUR), kintone);
        tl.webVisit(ago(n, 4 * DAY), kintone).pricing(ago(n, 3 * DAY)).download(ago(n, 2 * DAY), kintone);
        tl.emailClick(ago(n, 26 * HOUR), kintone).webVisit(ago(n, 25 * HOUR), kintone).webVisit(ago(n, 25 * HOUR - 5 * MINUTE), salesDx);
        tl.seminarRegistered(ago(n, 24 * HOUR), kintone).caseStudy(ago(n, 20 * HOUR));
        // The need: attended the seminar 45 minutes ago, answered the survey, now on pricing.
        tl.seminarAttended(ago(n, 45 * MINUTE), kintone).survey(ago(n, 30 * MINUTE), kintone).pricing(ago(n, 12 * MINUTE));
      },
    },
    {
      id: FEATURED.almostHot, name: '山本 美咲', email: 'misaki.yamamoto@mirai-shoji.example.jp', company: '株式会社ミライ商事',
      jobTitle: '営業企画部 課長', employees: 350, owner: DEMO_USER, english: false,
      refs: (ids) => [salesforceRef('Lead', ids.reserve(salesforceChecksum('00Q5g00000AlmHt')))],
      build: (tl) => {
        const n = tl.now;
        tl.background(10, 45, 300);
        // Warm and rising: pricing, case studies, a download, registered for the next seminar.
        tl.pricing(ago(n, 1 * DAY)).caseStudy(ago(n, 3 * DAY)).pricing(ago(n, 5 * DAY));
        tl.download(ago(n, 2 * DAY), salesDx);
        tl.emailClick(ago(n, 1 * DAY + 2 * HOUR), salesDx).emailClick(ago(n, 2 * DAY + HOUR), salesDx)
          .emailClick(ago(n, 4 * DAY), ma).emailClick(ago(n, 6 * DAY), salesDx);
        tl.webVisit(ago(n, 2 * DAY), salesDx).webVisit(ago(n, 3 * DAY), salesDx).webVisit(ago(n, 4 * DAY), ma).webVisit(ago(n, 5 * DAY), salesDx);
        tl.seminarRegistered(ago(n, 3 * DAY), salesDx);
      },
    },
    {
      id: FEATURED.lostRecently, name: '伊藤 健太', email: 'kenta.ito@toyo-logi.example.jp', company: '東洋物流株式会社',
      jobTitle: '営業本部長', employees: 800, owner: DEMO_USER, english: false,
      refs: (ids) => [salesforceRef('Contact', ids.reserve(salesforceChecksum('0035g00000LoStR'))), kintoneRef(ids.kintone())],
      build: (tl) => {
        const n = tl.now;
        const lostAt = ago(n, 5 * DAY);
        tl.background(15, 20, 300);
        tl.call(lostAt - 14 * DAY, 'meeting_set', '導入検討の打ち合わせ').call(lostAt, 'lost', '今期は予算凍結').lost(lostAt + 5 * MINUTE, 'timing');
        // Still busy on the web: without the time axis this lead would be flagged again.
        tl.pricing(ago(n, 3 * DAY)).caseStudy(ago(n, 2 * DAY)).download(ago(n, 2 * DAY - HOUR), kintone)
          .emailClick(ago(n, 1 * DAY), kintone).pricing(ago(n, 20 * HOUR)).webVisit(ago(n, 6 * HOUR), kintone);
        // ...and attended a seminar yesterday: a need signal the recently_lost block overrides.
        tl.seminarAttended(ago(n, 1 * DAY), kintone);
      },
    },
    {
      id: FEATURED.complained, name: 'Michael Brown', email: 'michael.brown@globex.example.com', company: 'Globex Japan',
      jobTitle: 'IT Manager', employees: 450, owner: DEMO_USER, english: true,
      refs: (ids) => [hubspotRef(ids.hubspot())],
      build: (tl) => {
        const n = tl.now;
        const at = tl.businessTime(20);
        tl.background(20, 1, 300);
        tl.call(at - 4 * DAY, 'no_answer').call(at - 2 * DAY, 'no_answer').call(at - HOUR, 'no_answer').complaint(at);
        tl.webVisit(ago(n, 2 * DAY), security).emailClick(ago(n, 1 * DAY), security);
      },
    },
    {
      id: FEATURED.waking, name: '小林 由美', email: 'yumi.kobayashi@sakura-kogyo.example.jp', company: '株式会社サクラ工業',
      jobTitle: '総務部 課長', employees: 220, owner: DEMO_USER, english: false,
      refs: (ids) => [dynamicsRef('lead', ids.dynamics())],
      build: (tl) => {
        const n = tl.now;
        tl.background(18, 110, 420);
        tl.seminarAttended(ago(n, 150 * DAY), topicNamed('働き方改革')).call(tl.businessTime(140), 'connected', '半年後に再検討');
        // Close to waking: opened, clicked, visited this week.
        tl.emailOpen(ago(n, 4 * DAY), topicNamed('働き方改革')).emailClick(ago(n, 2 * DAY), topicNamed('働き方改革')).pricing(ago(n, 2 * DAY - 10 * MINUTE));
      },
    },
    {
      id: FEATURED.contactCapped, name: '中村 翔太', email: 'shota.nakamura@hikari-tech.example.jp', company: '株式会社ヒカリテクノロジーズ',
      jobTitle: 'マーケティング部 課長', employees: 150, owner: DEMO_USER, english: false,
      refs: (ids) => [zohoRef('Leads', ids.zoho())],
      build: (tl) => {
        const n = tl.now;
        tl.background(20, 3, 300).burst(7, 4);
        tl.call(ago(n, 25 * DAY), 'no_answer').call(ago(n, 12 * DAY), 'connected', '資料送付の依頼').call(ago(n, 10 * HOUR), 'no_answer');
        tl.download(ago(n, 3 * DAY), ma);
      },
    },
    {
      id: FEATURED.videoWatched, name: 'Sarah Johnson', email: 'sarah.johnson@northwind.example.com', company: 'Northwind Traders',
      jobTitle: 'Director of Marketing', employees: 900, owner: DEMO_USER, english: true,
      refs: (ids) => [salesforceRef('Lead', ids.reserve(salesforceChecksum('00Q5g00000VidEo'))), hubspotRef(ids.hubspot())],
      build: (tl) => {
        const n = tl.now;
        tl.background(15, 10, 250).burst(6, 4);
        tl.video(ago(n, 90 * MINUTE), ma, 85);
      },
    },
  ];
}

// ---------------------------------------------------------------------------------------------
// The data set

function pickOwner(rng: Rng): DemoUser | undefined {
  if (rng.chance(0.03)) return undefined; // a few unassigned leads, as in any real CRM
  return rng.pick(USERS);
}

export function createDataset(options: DatasetOptions): Dataset {
  const seed = options.seed ?? DEFAULT_SEED;
  const now = options.now.getTime();
  const rng = new Rng(mulberry32(seed));
  const ids = new CrmIds(rng);
  const emails = new Set<string>();
  const leads: DatasetLead[] = [];

  for (const spec of featuredSpecs()) {
    emails.add(spec.email);
    const tl = new Timeline(now, rng, spec.english, spec.owner);
    spec.build(tl);
    const events = finalize(spec.id, tl.drafts);
    const profile: LeadProfile = {
      id: spec.id, name: spec.name, company: spec.company, email: spec.email,
      owner: { id: spec.owner.id, name: spec.owner.name }, crmRefs: spec.refs(ids),
      jobTitle: spec.jobTitle, employees: spec.employees,
      createdAt: (events[0]?.at ?? now) - 30 * DAY,
    };
    leads.push({ profile, events });
  }

  const total = Math.max(options.leadCount ?? DEFAULT_LEAD_COUNT, leads.length);
  for (let n = leads.length + 1; n <= total; n++) {
    const id = leadId(n);
    const who = person(rng, emails);
    const owner = pickOwner(rng);
    const profile: LeadProfile = {
      id, name: who.name, company: who.company.name, email: who.email,
      ...(owner ? { owner: { id: owner.id, name: owner.name } } : {}),
      crmRefs: crmRefs(ids, rng), jobTitle: who.jobTitle, employees: who.company.employees,
    };
    const tl = new Timeline(now, rng, who.english, owner);
    buildPersona(rng.weighted(PERSONA_WEIGHTS), tl, profile);
    const events = finalize(id, tl.drafts);
    profile.createdAt = (events[0]?.at ?? now) - rng.int(1, 60) * DAY;
    leads.push({ profile, events });
  }
  return { seed, now, users: [...USERS], leads, featured: { ...FEATURED } };
}
