/**
 * Who the lead is: name, company, the number to dial, lifecycle stage (lead, in process,
 * sleeping, churned), waking mark and owner. While a block is in force the number is shown
 * but is not a link: one click must not dial a lead the team may not call. A real click on the
 * link (the OS or the CTI app dials) also tells the panel, which readies the call log.
 */
import type { LeadSummary } from '../../utils/api/contract';
import { t } from '../../utils/i18n';
import { isTrustedEvent, telHref, type TrustCheck } from './format';
import { stageView } from './labels';

export interface HeaderProps {
  lead: Pick<LeadSummary, 'name' | 'company' | 'owner' | 'stage' | 'waking' | 'phone'>;
  /** A block (do not call, lost recently...) is in force now. */
  blocked?: boolean;
  /** The rep clicked the number (a real click; the link still dials). */
  onDial?(phone: string): void;
  isTrusted?: TrustCheck;
}

export function Header({ lead, blocked = false, onDial, isTrusted = isTrustedEvent }: HeaderProps) {
  const stage = stageView(lead.stage);
  const tel = blocked ? undefined : telHref(lead.phone);
  return (
    <div class="header">
      <h2 class="name api" data-testid="lead-name">{lead.name}</h2>
      {lead.company ? <p class="company api">{lead.company}</p> : null}
      {lead.phone ? (
        tel
          ? <a class="phone api" data-testid="lead-phone" href={tel} title={t('panelPhoneCall', lead.phone)}
              onClick={(event) => { if (lead.phone && isTrusted(event)) onDial?.(lead.phone); }}>{lead.phone}</a>
          : <p class="phone api blocked" data-testid="lead-phone" title={t('panelPhoneBlocked')}>{lead.phone}</p>
      ) : null}
      <div class="chips">
        <span class={`chip stage stage-${stage.style}`}>{stage.label}</span>
        {lead.waking ? <span class="chip waking" title={t('panelWakingHint')}>{t('panelWaking')}</span> : null}
        {lead.owner ? <span class="chip owner api">{t('ownerLabel', lead.owner.name)}</span> : null}
      </div>
    </div>
  );
}
