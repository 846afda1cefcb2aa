/** Per-lead alert choices (each salesperson picks which leads to hear about). */
import { t } from '../../utils/i18n';
import { isTrustedEvent, type TrustCheck } from './format';

export interface FollowMuteProps {
  followed: boolean;
  muted: boolean;
  onFollowChange(followed: boolean): void;
  onMuteChange(muted: boolean): void;
  /** Synthetic clicks from the page change nothing. */
  isTrusted?: TrustCheck;
}

export function FollowMute({ followed, muted, onFollowChange, onMuteChange, isTrusted = isTrustedEvent }: FollowMuteProps) {
  return (
    <div class="toggles">
      <button type="button" class="toggle" aria-pressed={followed} onClick={(e) => isTrusted(e) && onFollowChange(!followed)}>
        {t(followed ? 'panelFollowing' : 'panelFollow')}
      </button>
      <button type="button" class="toggle" aria-pressed={muted} onClick={(e) => isTrusted(e) && onMuteChange(!muted)}>
        {t(muted ? 'panelMuted' : 'panelMute')}
      </button>
    </div>
  );
}
