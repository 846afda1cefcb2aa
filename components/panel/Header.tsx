/** Who the lead is: name, company, lifecycle stage (lead, in process, sleeping, churned), waking mark and owner. */
import type { LeadSummary } from '../../utils/api/contract';
import { t } from '../../utils/i18n';
import { stageView } from './labels';

export interface HeaderProps {
  lead: Pick<LeadSummary, 'name' | 'company' | 'owner' | 'stage' | 'waking'>;
}

export function Header({ lead }: HeaderProps) {
  const stage = stageView(lead.stage);
  return (
    <div class="header">
      <h2 class="name api" data-testid="lead-name">{lead.name}</h2>
      {lead.company ? <p class="company api">{lead.company}</p> : null}
      <div class="chips">
        <span class={`chip stage stage-${stage.style}`}>{stage.label}</span>
        {lead.waking ? <span class="chip waking" title={t('panelWakingHint')}>{t('panelWaking')}</span> : null}
        {lead.owner ? <span class="chip owner api">{t('ownerLabel', lead.owner.name)}</span> : null}
      </div>
    </div>
  );
}
