import type { ClientAuditEvent } from '../../protocol/audit-reports';
import type { Settings } from '../../protocol/settings';
import type { ServerMessageOf } from '../../protocol/signaling-messages';
import { NO_VERIFIED_POLICY, parseDomains, policyRefusal, type VerifiedPolicy } from '../../protocol/verified-policy';
import { h } from '../ui/dom';

const STORE_KEY = 'peerdesk.verifiedPolicy';

/**
 * The host's "Only verified technicians (from: example.com)" rule on the host page: a join request it refuses is
 * declined at once and never shown as a prompt, whatever the server allowed. In the desktop app the policy comes from
 * Settings (and main enforces it again for control); a browser host page has no settings, so it shows a checkbox on
 * the Get-help screen, remembered in this browser.
 */
export class VerifiedGate {
  /** The browser's checkbox and domain field; undefined in the desktop app (its Settings hold the policy). */
  readonly element?: HTMLElement;
  private policy: VerifiedPolicy;

  constructor(settings?: Pick<Settings, 'onlyVerified' | 'verifiedDomains'>) {
    if (settings) {
      this.policy = { onlyVerified: settings.onlyVerified, verifiedDomains: settings.verifiedDomains };
      return;
    }
    this.policy = loadPolicy();
    this.element = this.browserControls();
  }

  /** Why this request is declined automatically, as the host reads it; undefined: show the prompt. */
  refusal(request: ServerMessageOf<'join.request'>): string | undefined {
    return policyRefusal(this.policy, request.name, request.identity);
  }

  /** What the host reports to the server's audit trail about a join this gate declined (marked as the host's word). */
  refusalReport(request: ServerMessageOf<'join.request'>): ClientAuditEvent {
    const { identity } = request;
    return {
      type: 'join.refused',
      rule: identity ? 'domain' : 'not-verified',
      name: request.name.slice(0, 128),
      ...(identity ? { email: identity.email.slice(0, 254) } : {}),
    };
  }

  private browserControls(): HTMLElement {
    const box = h('input', { type: 'checkbox', id: 'only-verified', checked: this.policy.onlyVerified });
    const domains = h('input', {
      id: 'verified-domains',
      type: 'text',
      value: this.policy.verifiedDomains,
      placeholder: 'example.com',
      'aria-label': 'Only from these email domains',
    });
    const problem = h('small', { class: 'error', id: 'verified-domains-problem', hidden: true });
    const update = () => {
      const valid = parseDomains(domains.value) !== undefined;
      problem.hidden = valid;
      problem.textContent = valid ? '' : 'Email domains separated by commas, such as example.com — until then, nobody is accepted.';
      this.policy = { onlyVerified: box.checked, verifiedDomains: domains.value.trim() };
      try {
        localStorage.setItem(STORE_KEY, JSON.stringify(this.policy));
      } catch {
        // Storage may be off (private mode): the choice still holds for this page.
      }
    };
    box.addEventListener('change', update);
    domains.addEventListener('input', update);
    return h(
      'div',
      { class: 'verified-gate', id: 'verified-gate' },
      h('label', { class: 'check' }, box, ' Only verified technicians (signed in through the PeerDesk server)'),
      h('label', { class: 'hint' }, 'from: ', domains, ' (leave empty for any signed-in technician)'),
      problem,
    );
  }
}

function loadPolicy(): VerifiedPolicy {
  try {
    const stored = JSON.parse(localStorage.getItem(STORE_KEY) ?? 'null') as Partial<VerifiedPolicy> | null;
    if (stored && typeof stored.onlyVerified === 'boolean' && typeof stored.verifiedDomains === 'string')
      return { onlyVerified: stored.onlyVerified, verifiedDomains: stored.verifiedDomains };
  } catch {
    // Nothing stored, or not ours: the default.
  }
  return NO_VERIFIED_POLICY;
}
