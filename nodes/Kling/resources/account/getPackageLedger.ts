import { ledgerOperation } from './ledger';

/** `POST /account/billing/package`: tasks paid with resource-pack units. */
export const getPackageLedger = ledgerOperation('package');
