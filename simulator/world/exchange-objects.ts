/**
 * The Exchange objects of a tenant, derived from the world (the same mailboxes, sizes and logons
 * the remoting side serves): mailboxes, mailbox statistics, inbox rules, client access settings,
 * accepted domains and V2 message trace rows. Both the admin REST API (exo/cmdlets.ts) and the
 * remoting session (remoting/run-command.ts) read them, so the two paths answer with the same data.
 */
import { createHash } from 'node:crypto';
import { createRng, hashGuid } from './prng.js';
import { byteQuantified, DAY_MS, mailboxStatisticsRow, messageTraceRows } from './report-data.js';
import type { MailboxRecord, TenantRecord } from './world.js';
import { emailDomainNames } from './directory.js';

export type ExoValue = string | number | boolean | null | string[];
export type ExoObject = Record<string, ExoValue>;

/** "2026-11-25T13:05:09Z": a DateTime as the admin API writes it (UTC, no fraction). */
export function exoDate(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d+Z$/, 'Z');
}

/**
 * A date parameter as the admin API reads it (and a declared cmdlet on either path): ISO 8601; a
 * date alone is midnight UTC, a date and time without an offset is UTC too. Undefined when it is none.
 */
export function parseServiceDate(text: string): number | undefined {
  const ms = /^\d{4}-\d{2}-\d{2}$/.test(text) ? Date.parse(`${text}T00:00:00Z`) : Date.parse(/(?:[zZ]|[+-]\d{2}:?\d{2})$/.test(text) ? text : `${text}Z`);
  return Number.isNaN(ms) ? undefined : ms;
}

/** The remoting form of the same instant: "2026-11-25T13:05:09" (no offset means UTC there). */
function fromRemotingDate(text: unknown): string | null {
  return typeof text === 'string' ? `${text.slice(0, 19)}Z` : null;
}

const legacyOrg = '/o=ExchangeLabs/ou=Exchange Administrative Group (FYDIBOHF23SPDLT)/cn=Recipients';

/** The Entra ID object id of the mailbox's user (ExternalDirectoryObjectId). */
export function externalDirectoryObjectId(seed: string, tenant: TenantRecord, m: MailboxRecord): string {
  return hashGuid(seed, 'user-object', tenant.tenantId, m.alias);
}

function legacyDn(seed: string, tenant: TenantRecord, m: MailboxRecord): string {
  const hex = createHash('sha256').update(`${seed}\u001flegacy\u001f${tenant.tenantId}\u001f${m.alias}`).digest('hex').slice(0, 32);
  return `${legacyOrg}/cn=${hex}-${m.alias}`;
}

/** The per-mailbox facts that are not in the world record, seeded per tenant and mailbox. */
function traits(seed: string, tenant: TenantRecord, m: MailboxRecord) {
  const rng = createRng(seed, 'exo-mailbox', tenant.tenantId, m.alias);
  const shared = rng.chance(0.08);
  const forwarding = rng.chance(0.08) ? externalAddress(rng.next(), m) : null;
  const createdDaysAgo = m.staleDays + rng.int(30, 1500);
  return {
    recipientTypeDetails: shared ? 'SharedMailbox' : 'UserMailbox',
    forwardingSmtpAddress: forwarding ? `smtp:${forwarding}` : null,
    deliverToMailboxAndForward: forwarding !== null && rng.chance(0.6),
    hidden: shared && rng.chance(0.5),
    litigationHold: rng.chance(0.1),
    archive: rng.chance(0.3),
    createdDaysAgo,
    changedDaysAgo: rng.int(0, Math.min(createdDaysAgo, 200)),
    cas: {
      ActiveSyncEnabled: rng.chance(0.9),
      OWAEnabled: rng.chance(0.97),
      PopEnabled: rng.chance(0.7),
      ImapEnabled: rng.chance(0.7),
      MAPIEnabled: rng.chance(0.98),
      EwsEnabled: rng.chance(0.95),
      SmtpClientAuthenticationDisabled: rng.pick<boolean | null>([null, null, null, null, null, null, null, true, true, false]),
    },
  };
}

const externalDomains = ['gmail.com', 'outlook.com', 'yahoo.com', 'proton.me', 'icloud.com', 'gmx.de'];

function externalAddress(unit: number, m: MailboxRecord): string {
  const [first = 'user', last = ''] = m.displayName.toLowerCase().split(' ');
  const domain = externalDomains[Math.floor(unit * externalDomains.length)] ?? 'gmail.com';
  return `${first}.${last}${Math.floor(unit * 90) + 10}@${domain}`;
}

function quota(mb: number): string {
  return byteQuantified(Math.round(mb * 1_048_576));
}

/** Get-Mailbox objects (the main properties of the real object). */
export function mailboxObjects(seed: string, tenant: TenantRecord, todayMs: number): ExoObject[] {
  return tenant.mailboxes.map((m) => {
    const t = traits(seed, tenant, m);
    const initialAlias = `${m.alias}@${tenant.initialDomain}`;
    const addresses = [`SMTP:${m.userPrincipalName}`];
    if (initialAlias.toLowerCase() !== m.userPrincipalName.toLowerCase()) addresses.push(`smtp:${initialAlias}`);
    return {
      ExternalDirectoryObjectId: externalDirectoryObjectId(seed, tenant, m),
      UserPrincipalName: m.userPrincipalName,
      Alias: m.alias,
      DisplayName: m.displayName,
      Name: m.alias,
      Identity: m.alias,
      Id: m.alias,
      PrimarySmtpAddress: m.userPrincipalName,
      WindowsEmailAddress: m.userPrincipalName,
      RecipientType: 'UserMailbox',
      RecipientTypeDetails: t.recipientTypeDetails,
      EmailAddresses: addresses,
      ForwardingAddress: null,
      ForwardingSmtpAddress: t.forwardingSmtpAddress,
      DeliverToMailboxAndForward: t.deliverToMailboxAndForward,
      HiddenFromAddressListsEnabled: t.hidden,
      IsMailboxEnabled: true,
      AccountDisabled: t.recipientTypeDetails === 'SharedMailbox',
      LitigationHoldEnabled: t.litigationHold,
      ArchiveStatus: t.archive ? 'Active' : 'None',
      ExchangeGuid: m.exchangeGuid,
      Guid: hashGuid(seed, 'recipient', tenant.tenantId, m.alias),
      ExchangeObjectId: hashGuid(seed, 'recipient', tenant.tenantId, m.alias),
      LegacyExchangeDN: legacyDn(seed, tenant, m),
      IssueWarningQuota: quota(Math.round(m.quotaMb * 0.97)),
      ProhibitSendQuota: quota(Math.round(m.quotaMb * 0.99)),
      ProhibitSendReceiveQuota: quota(m.quotaMb),
      UsageLocation: null,
      WhenCreated: exoDate(todayMs - t.createdDaysAgo * DAY_MS + 10 * 3_600_000),
      WhenChanged: exoDate(todayMs - t.changedDaysAgo * DAY_MS + 11 * 3_600_000),
      WhenMailboxCreated: exoDate(todayMs - t.createdDaysAgo * DAY_MS + 10 * 3_600_000 + 60_000),
    };
  });
}

/** Finds a mailbox by ExternalDirectoryObjectId, UPN, any SMTP address, alias, display name or ExchangeGuid. */
export function findExoMailbox(seed: string, tenant: TenantRecord, identity: string): MailboxRecord | undefined {
  const key = identity.trim().toLowerCase().replace(/^smtp:/, '');
  return tenant.mailboxes.find((m) =>
    [m.alias, m.userPrincipalName, `${m.alias}@${tenant.initialDomain}`, m.displayName, m.exchangeGuid, externalDirectoryObjectId(seed, tenant, m)].some((v) => v.toLowerCase() === key),
  );
}

/**
 * Get-MailboxStatistics: the remoting row's values (DisplayName, MailboxGuid, ItemCount,
 * TotalItemSize, LastLogonTime, LastUserActionTime; dates with their UTC "Z") and more properties.
 */
export function mailboxStatisticsObject(seed: string, tenant: TenantRecord, m: MailboxRecord, todayMs: number): ExoObject {
  const row = mailboxStatisticsRow(seed, tenant, m.alias, todayMs);
  if (!row) throw new Error(`no statistics for ${m.alias}`);
  const rng = createRng(seed, 'exo-statistics', tenant.tenantId, m.alias);
  const deletedBytes = rng.int(0, 200_000_000);
  const lastLogon = fromRemotingDate(row.LastLogonTime);
  return {
    DisplayName: row.DisplayName as string,
    MailboxGuid: row.MailboxGuid as string,
    ExternalDirectoryOrganizationId: tenant.tenantId,
    MailboxTypeDetail: traits(seed, tenant, m).recipientTypeDetails,
    ItemCount: row.ItemCount as number,
    DeletedItemCount: Math.round(deletedBytes / 80_000),
    AssociatedItemCount: rng.int(20, 400),
    TotalItemSize: row.TotalItemSize as string,
    TotalDeletedItemSize: byteQuantified(deletedBytes),
    SystemMessageSize: byteQuantified(rng.int(100_000, 9_000_000)),
    LastLogonTime: lastLogon,
    LastLogoffTime: lastLogon === null ? null : exoDate(Date.parse(lastLogon) + rng.int(60, 7200) * 1000),
    LastUserActionTime: fromRemotingDate(row.LastUserActionTime),
    LastInteractionTime: fromRemotingDate(row.LastUserActionTime),
    IsArchiveMailbox: false,
    IsQuarantined: false,
    Identity: m.exchangeGuid,
  };
}

type RuleKind = 'move' | 'delete' | 'forwardExternal' | 'redirectExternal' | 'attachmentExternal' | 'forwardInternal' | 'redirectInternal';
const ruleKinds: ReadonlyArray<[RuleKind, number]> = [
  ['move', 0.3], ['delete', 0.15], ['forwardExternal', 0.15], ['redirectExternal', 0.08], ['attachmentExternal', 0.05], ['forwardInternal', 0.14], ['redirectInternal', 0.13],
];
const subjectWords = ['invoice', 'payment', 'newsletter', 'urgent', 'wire transfer', 'password', 'receipt'];
const sharedAddresses = ['finance', 'accounts', 'helpdesk', 'team', 'office'];

/** `"Display Name" [SMTP:address]` or `"Display Name" [EX:legacyDN]`: how a rule shows a recipient. */
function recipient(name: string, kind: 'SMTP' | 'EX', address: string): string {
  return `"${name}" [${kind}:${address}]`;
}

/**
 * Get-InboxRule -Mailbox: seeded per mailbox (about four mailboxes in ten have rules). Rules may
 * forward, redirect or forward as attachment to outside addresses, to another mailbox of the
 * tenant (shown by its EX: legacy DN, as the real service resolves it) or to an SMTP address in
 * one of the tenant's domains.
 */
export function inboxRuleObjects(seed: string, tenant: TenantRecord, m: MailboxRecord): ExoObject[] {
  const rng = createRng(seed, 'inbox-rules', tenant.tenantId, m.alias);
  if (!rng.chance(0.4)) return [];
  const count = rng.int(1, 3);
  const rules: ExoObject[] = [];
  for (let i = 0; i < count; i += 1) {
    let roll = rng.next();
    let kind: RuleKind = 'move';
    for (const [name, p] of ruleKinds) {
      if (roll < p) {
        kind = name;
        break;
      }
      roll -= p;
    }
    const word = rng.pick(subjectWords);
    const outside = externalAddress(rng.next(), m);
    const outsideName = m.displayName;
    const peer = rng.pick(tenant.mailboxes);
    const insideSmtp = `${rng.pick(sharedAddresses)}@${tenant.defaultDomain}`;
    const ruleId = String(BigInt(`0x${createHash('sha256').update(`${seed}\u001frule\u001f${tenant.tenantId}\u001f${m.alias}\u001f${i}`).digest('hex').slice(0, 15)}`));
    const target =
      kind === 'forwardExternal' || kind === 'redirectExternal' || kind === 'attachmentExternal'
        ? recipient(outsideName, 'SMTP', outside)
        : kind === 'forwardInternal'
          ? recipient(peer.displayName, 'EX', legacyDn(seed, tenant, peer))
          : kind === 'redirectInternal'
            ? recipient(insideSmtp, 'SMTP', insideSmtp)
            : null;
    const shown = kind === 'forwardInternal' ? peer.displayName : kind === 'redirectInternal' ? insideSmtp : outsideName;
    const action = {
      move: `Move the message to folder 'Archive\\${word}'`,
      delete: 'Delete the message',
      forwardExternal: `Forward the message to '${shown}'`,
      forwardInternal: `Forward the message to '${shown}'`,
      redirectExternal: `Redirect the message to '${shown}'`,
      redirectInternal: `Redirect the message to '${shown}'`,
      attachmentExternal: `Forward the message as an attachment to '${shown}'`,
    }[kind];
    const stop = rng.chance(0.5);
    const name = kind === 'move' ? `Move ${word}` : kind === 'delete' ? `Delete ${word}` : rng.pick(['.', 'Sync', word, `${word} rule`, 'Forward']);
    rules.push({
      Name: name,
      Identity: `${m.alias}\\${ruleId}`,
      RuleIdentity: ruleId,
      MailboxOwnerId: m.alias,
      Enabled: rng.chance(0.9),
      Priority: i + 1,
      Description: `If the message:\r\n\tIncludes these words in the subject: '${word}'\r\nTake the following actions:\r\n\t${action}\r\n${stop ? 'and stop processing more rules on this message\r\n' : ''}`,
      SubjectContainsWords: [word],
      From: null,
      ForwardTo: kind === 'forwardExternal' || kind === 'forwardInternal' ? [target as string] : null,
      RedirectTo: kind === 'redirectExternal' || kind === 'redirectInternal' ? [target as string] : null,
      ForwardAsAttachmentTo: kind === 'attachmentExternal' ? [target as string] : null,
      DeleteMessage: kind === 'delete',
      MoveToFolder: kind === 'move' ? `${m.alias}:\\Archive\\${word}` : null,
      MarkAsRead: kind === 'delete' || (kind === 'move' && rng.chance(0.3)),
      StopProcessingRules: stop,
      InError: false,
      SupportedByTask: true,
    });
  }
  return rules;
}

/** Get-CASMailbox objects. SmtpClientAuthenticationDisabled is null when the mailbox follows the organization setting. */
export function casMailboxObjects(seed: string, tenant: TenantRecord): ExoObject[] {
  return tenant.mailboxes.map((m) => {
    const t = traits(seed, tenant, m);
    return {
      Identity: m.alias,
      Name: m.alias,
      DisplayName: m.displayName,
      PrimarySmtpAddress: m.userPrincipalName,
      ExternalDirectoryObjectId: externalDirectoryObjectId(seed, tenant, m),
      Guid: hashGuid(seed, 'recipient', tenant.tenantId, m.alias),
      ...t.cas,
    };
  });
}

/** Get-AcceptedDomain: the tenant's email domains, plus the <tenant>.mail.onmicrosoft.com domain every tenant has. */
export function acceptedDomainObjects(tenant: TenantRecord): ExoObject[] {
  return emailDomainNames(tenant).map((name) => ({
    Identity: name,
    Name: name,
    DomainName: name,
    DomainType: 'Authoritative',
    Default: name.toLowerCase() === tenant.defaultDomain.toLowerCase(),
    InitialDomain: name.toLowerCase() === tenant.initialDomain.toLowerCase(),
    MatchSubDomains: false,
  }));
}

/** Up to this many messages a day per tenant in the V2 trace (25 per mailbox), so that big tenants pass the 5,000-row cap. */
export const TRACE_V2_MAX_PER_DAY = 2400;

/**
 * Get-MessageTraceV2 rows of one day, newest first, then by recipient: the remoting trace's
 * generator with a fuller daily volume (its first rows are the remoting rows), Received cut to the second.
 */
export function messageTraceV2Objects(seed: string, tenant: TenantRecord, day: number): ExoObject[] {
  return messageTraceRows(seed, tenant, day, Math.min(TRACE_V2_MAX_PER_DAY, tenant.mailboxes.length * 25))
    .map((row) => ({
      Organization: tenant.initialDomain,
      MessageId: row.MessageId as string,
      Received: exoDate(Date.parse(`${String(row.Received)}Z`)),
      SenderAddress: row.SenderAddress as string,
      RecipientAddress: row.RecipientAddress as string,
      Subject: row.Subject as string,
      Status: row.Status as string,
      ToIP: row.ToIP as string | null,
      FromIP: row.FromIP as string | null,
      Size: row.Size as number,
      MessageTraceId: row.MessageTraceId as string,
    }))
    .sort(compareTrace);
}

export function compareTrace(a: ExoObject, b: ExoObject): number {
  return String(b.Received).localeCompare(String(a.Received)) || String(a.RecipientAddress).localeCompare(String(b.RecipientAddress)) || String(a.MessageTraceId).localeCompare(String(b.MessageTraceId));
}
