// One look-alike module per CRM, looked up by name.
import type { CrmName } from '../types';
import { dynamics } from './dynamics';
import { hubspot } from './hubspot';
import { kintone } from './kintone';
import type { CrmSiteModule } from './module';
import { salesforce } from './salesforce';
import { zoho } from './zoho';

export const CRM_MODULES: Readonly<Record<CrmName, CrmSiteModule>> = { salesforce, kintone, hubspot, dynamics, zoho };
