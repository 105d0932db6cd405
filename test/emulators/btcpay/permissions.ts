/** API keys and BTCPay's permission hierarchy (Permissions.cs PolicyMap, the store and invoice part). */
import type http from 'node:http';
import { randomBytes } from 'node:crypto';
import { missingPermission, unauthenticated } from './errors.js';

export const PERM_CREATE = 'btcpay.store.cancreateinvoice';
export const PERM_VIEW = 'btcpay.store.canviewinvoices';

const POLICY_CHILDREN: Record<string, string[]> = {
  'btcpay.store.canmodifystoresettings': [
    'btcpay.store.canmanagepullpayments',
    'btcpay.store.canmodifyinvoices',
    'btcpay.store.canviewstoresettings',
    'btcpay.store.webhooks.canmodifywebhooks',
    'btcpay.store.canmodifypaymentrequests',
    'btcpay.store.canmanagepayouts',
    'btcpay.store.canmodifyofferings',
    'btcpay.store.canuselightningnode',
  ],
  'btcpay.store.canmodifyinvoices': ['btcpay.store.canviewinvoices', 'btcpay.store.cancreateinvoice', 'btcpay.store.cancreatelightninginvoice'],
  'btcpay.store.canviewstoresettings': [
    'btcpay.store.canviewinvoices',
    'btcpay.store.canviewpaymentrequests',
    'btcpay.store.canviewreports',
    'btcpay.store.canviewpullpayments',
    'btcpay.store.canviewpayouts',
  ],
  'btcpay.store.canmanagepullpayments': ['btcpay.store.cancreatepullpayments', 'btcpay.store.canarchivepullpayments'],
  'btcpay.store.cancreatepullpayments': ['btcpay.store.cancreatenonapprovedpullpayments'],
  'btcpay.store.cancreatenonapprovedpullpayments': ['btcpay.store.canviewpullpayments'],
  'btcpay.store.canmodifypaymentrequests': ['btcpay.store.canviewpaymentrequests'],
  'btcpay.store.canmodifyofferings': ['btcpay.store.canviewofferings'],
  'btcpay.store.canuselightningnode': ['btcpay.store.canviewlightninginvoice', 'btcpay.store.cancreatelightninginvoice'],
  'btcpay.store.canmanagepayouts': ['btcpay.store.canviewpayouts'],
};

function policyContains(policy: string, sub: string): boolean {
  if (policy === 'unrestricted' || policy === sub) return true;
  return (POLICY_CHILDREN[policy] ?? []).some((child) => policyContains(child, sub));
}

export interface Grant {
  policy: string;
  scope: string | null;
}

function parseGrants(permissions: string[]): Grant[] {
  return permissions.flatMap((p): Grant[] => {
    const s = p.trim();
    const sep = s.indexOf(':');
    if (sep === -1) return [{ policy: s.toLowerCase(), scope: null }];
    const policy = s.slice(0, sep).toLowerCase();
    const scope = s.slice(sep + 1);
    if (!policy.startsWith('btcpay.store') || !scope) return []; // Permission.TryParse drops these
    return [{ policy, scope }];
  });
}

/** The server's API keys and what each may do in which store. */
export function createKeyring(storeId: string, apiKey: string) {
  const keys = new Map<string, Grant[]>([[apiKey, parseGrants(['btcpay.store.canmodifystoresettings'])]]);

  function grantsOf(req: http.IncomingMessage): Grant[] | undefined {
    const h = req.headers.authorization;
    const m = typeof h === 'string' ? /^token\s+(\S+)\s*$/i.exec(h) : null;
    return m ? keys.get(m[1]!) : undefined;
  }

  function may(grants: Grant[], perm: string, store: string): boolean {
    return grants.some((g) => policyContains(g.policy, perm) && (g.scope === null || g.scope === store));
  }

  return {
    /** Whether the request carries a key this server issued (whatever it may do). */
    isAuthentic: (req: http.IncomingMessage): boolean => grantsOf(req) !== undefined,
    keyFrom(req: http.IncomingMessage): Grant[] {
      const grants = grantsOf(req);
      if (!grants) throw unauthenticated();
      return grants;
    },
    may,
    authorize(grants: Grant[], perm: string, store: string): void {
      // assumption: a store this server does not have answers like one the key cannot see
      if (store !== storeId || !may(grants, perm, store)) throw missingPermission(perm);
    },
    /** A new key with only these permissions. */
    add(permissions: string[]): string {
      const key = randomBytes(20).toString('hex');
      keys.set(key, parseGrants(permissions));
      return key;
    },
  };
}

export type Keyring = ReturnType<typeof createKeyring>;
