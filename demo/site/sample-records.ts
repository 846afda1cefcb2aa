// A small built-in data set for the look-alike site's tests, fixtures and smoke run. The demo
// proper passes a RecordSource backed by the story data set instead. Ids follow each
// CRM's real format (Salesforce 18-char ids carry a valid case checksum) so URL parsers are
// exercised the way real pages exercise them.
import type { CrmName, CrmRecordView, RecordSource } from './types';

export const SAMPLE_RECORDS: readonly CrmRecordView[] = [
  // Salesforce: key prefixes 00Q Lead, 003 Contact, 001 Account, 006 Opportunity.
  { crm: 'salesforce', objectType: 'Lead', recordId: '00Q5g00000AbCdEEAV', name: '田中 太郎', company: '株式会社サンプル商事', email: 'taro.tanaka@sample-shoji.example', phone: '03-1234-5678', title: '情報システム部 部長', owner: '山田 花子', status: 'Working - Contacted' },
  { crm: 'salesforce', objectType: 'Lead', recordId: '00Q5g00000XyZ12EAF', name: 'Emily Carter', company: 'Northwind Traders', email: 'emily.carter@northwind.example', phone: '+1 415 555 0134', title: 'VP Operations', owner: 'Ken Yamada', status: 'Open - Not Contacted' },
  { crm: 'salesforce', objectType: 'Lead', recordId: '00Q5g00000JkLmNEAV', name: 'Liam O\'Brien', company: 'O\'Brien & Sons <Ltd>', email: 'liam@obrien.example', phone: '+44 20 7946 0000', title: 'Owner', owner: 'Ken Yamada', status: 'Working - Contacted' },
  { crm: 'salesforce', objectType: 'Contact', recordId: '0035g00000QrStUAAV', name: '佐藤 花子', company: '株式会社サンプル商事', email: 'hanako.sato@sample-shoji.example', phone: '03-1234-5679', title: '購買課 課長', owner: '山田 花子', status: 'Active' },
  { crm: 'salesforce', objectType: 'Account', recordId: '0015g00000KlMnOAAV', name: '株式会社サンプル商事', phone: '03-1234-5600', owner: '山田 花子', status: 'Prospect' },
  { crm: 'salesforce', objectType: 'Opportunity', recordId: '0065g00000PpQqRAAV', name: 'サンプル商事 年間ライセンス', company: '株式会社サンプル商事', owner: '山田 花子', status: 'Proposal/Price Quote' },
  // kintone: app 12 "リード管理", records numbered from 1; app 13 "顧客管理".
  { crm: 'kintone', objectType: '12', recordId: '1', name: '鈴木 一郎', company: '有限会社みなと製作所', email: 'ichiro.suzuki@minato-ss.example', phone: '045-222-3333', title: '代表取締役', owner: '佐々木 誠', status: '未対応' },
  { crm: 'kintone', objectType: '12', recordId: '2', name: '高橋 美咲', company: '北斗システム株式会社', email: 'misaki.takahashi@hokuto-sys.example', phone: '011-555-0101', title: 'マーケティング部', owner: '佐々木 誠', status: '商談中' },
  { crm: 'kintone', objectType: '12', recordId: '3', name: 'David Kim', company: 'Pacific Rim Logistics', email: 'david.kim@pacrim.example', phone: '+1 206 555 0199', title: 'IT Manager', owner: '佐々木 誠', status: '受注' },
  { crm: 'kintone', objectType: '13', recordId: '1', name: '有限会社みなと製作所', phone: '045-222-3300', owner: '佐々木 誠', status: '既存顧客' },
  // HubSpot: 0-1 contact, 0-2 company, 0-3 deal.
  { crm: 'hubspot', objectType: '0-1', recordId: '51234567801', name: '伊藤 さくら', company: 'さくらデザイン株式会社', email: 'sakura.ito@sakura-design.example', phone: '06-6543-2100', title: 'クリエイティブディレクター', owner: 'Aiko Mori', status: 'Marketing qualified lead' },
  { crm: 'hubspot', objectType: '0-1', recordId: '51234567802', name: 'John Smith', company: 'Contoso Ltd', email: 'john.smith@contoso.example', phone: '+1 617 555 0110', title: 'Head of Sales', owner: 'Aiko Mori', status: 'Lead' },
  { crm: 'hubspot', objectType: '0-2', recordId: '9876543210', name: 'Contoso Ltd', phone: '+1 617 555 0100', owner: 'Aiko Mori', status: 'Customer' },
  { crm: 'hubspot', objectType: '0-3', recordId: '15555555501', name: 'Contoso - Enterprise plan', company: 'Contoso Ltd', owner: 'Aiko Mori', status: 'Contract sent' },
  // Dynamics 365: lower-case GUIDs (URLs may carry them braced and upper-cased).
  { crm: 'dynamics', objectType: 'lead', recordId: '5d4c2f1e-8a3b-4c6d-9e0f-1a2b3c4d5e6f', name: '渡辺 直樹', company: '東海精機株式会社', email: 'naoki.watanabe@tokai-seiki.example', phone: '052-111-2222', title: '生産管理課長', owner: '小林 恵', status: 'Contacted' },
  { crm: 'dynamics', objectType: 'lead', recordId: '7b6a5c4d-3e2f-4a1b-8c9d-0e1f2a3b4c5d', name: 'Sarah Johnson', company: 'Fabrikam Inc.', email: 'sarah.johnson@fabrikam.example', phone: '+1 425 555 0177', title: 'Procurement Lead', owner: 'Megumi Kobayashi', status: 'New' },
  { crm: 'dynamics', objectType: 'contact', recordId: 'c0ffee00-1234-4abc-9def-0123456789ab', name: '加藤 健二', company: '東海精機株式会社', email: 'kenji.kato@tokai-seiki.example', phone: '052-111-2223', title: '購買部', owner: '小林 恵', status: 'Active' },
  // Zoho CRM: 19-digit ids, modules Leads/Contacts/Accounts/Deals.
  { crm: 'zoho', objectType: 'Leads', recordId: '4876876000000512001', name: '中村 優子', company: '中村工業株式会社', email: 'yuko.nakamura@nakamura-kogyo.example', phone: '092-333-4444', title: '総務部長', owner: '松本 大輔', status: 'Contacted' },
  { crm: 'zoho', objectType: 'Leads', recordId: '4876876000000512002', name: 'Michael Brown', company: 'Brown & Partners', email: 'michael@brownpartners.example', phone: '+61 2 5550 1234', title: 'Managing Director', owner: 'Daisuke Matsumoto', status: 'Not Contacted' },
  { crm: 'zoho', objectType: 'Contacts', recordId: '4876876000000523001', name: '小川 里奈', company: '中村工業株式会社', email: 'rina.ogawa@nakamura-kogyo.example', phone: '092-333-4445', title: '経理課', owner: '松本 大輔' },
];

/** A RecordSource over an in-memory array, keeping the array's order for list(). */
export function createRecordSource(records: readonly CrmRecordView[]): RecordSource {
  return {
    find: (crm, objectType, recordId) =>
      records.find((r) => r.crm === crm && r.objectType === objectType && r.recordId === recordId),
    list: (crm, objectType, limit) =>
      records.filter((r) => r.crm === crm && r.objectType === objectType).slice(0, Math.max(0, limit)),
    objectTypes: (crm: CrmName) => [...new Set(records.filter((r) => r.crm === crm).map((r) => r.objectType))],
  };
}

export const sampleRecords: RecordSource = createRecordSource(SAMPLE_RECORDS);
