/** The sandbox's records live with the other repositories; this name stays for the connector. */
export { sandboxInvoicesRepo as sandboxStore, type SandboxInvoiceRow, type SandboxStatus } from '../../db/sandbox-invoices-repo.js';
