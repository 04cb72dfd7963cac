import { ledgerOperation } from './ledger';

/** `POST /account/billing/balance`: tasks paid from the cash balance. */
export const getBalanceLedger = ledgerOperation('balance');
