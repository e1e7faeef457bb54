/**
 * The Flink SQL script as MSF application properties (`EnvironmentProperties.PropertyGroups`), the way the job
 * in flink/ reads it (flink/README.md): property group `SqlJob`, keys `sql.000`, `sql.001`, … concatenated in
 * key order. MSF limits a value to 2048 characters and a group to 50 values, so the script travels in parts.
 *
 * The script may hold deploy-time values (CDK tokens: the region, an imported stream name); a part never cuts
 * one, and each counts at its longest possible length, so a part stays within the limit once CloudFormation
 * has put the real value in.
 */
import { ConfigError } from '../../src/errors.js';

/** MSF's limits on application properties (CloudFormation schema of AWS::KinesisAnalyticsV2::Application). */
export const MSF_PROPERTY_LIMITS = { valueChars: 2048, valuesPerGroup: 50, groups: 50 } as const;

/** The property group the job reads its script from (flink/README.md). */
export const SQL_PROPERTY_GROUP = 'SqlJob';

/** Longest value a deploy-time token in the script may take (a stream name is at most 128, an ARN ~200). */
export const TOKEN_BUDGET_CHARS = 256;

export interface PropertyGroup {
  readonly propertyGroupId: string;
  readonly propertyMap: Record<string, string>;
}

/** CDK's encoding of a string token inside a string. */
const TOKEN_MARKER = /\$\{Token\[[^\]]+\]\}/g;

/**
 * Cuts `sql` into the `SqlJob` group's parts. Throws a ConfigError when the script needs more than 50 parts
 * (about 100 KB).
 *
 * @example
 * sqlPropertyGroup('CREATE TABLE …'); // { propertyGroupId: 'SqlJob', propertyMap: { 'sql.000': 'CREATE TABLE …' } }
 */
export function sqlPropertyGroup(sql: string): PropertyGroup {
  if (sql.trim() === '') throw new ConfigError('flink translation', 'is empty; expected a Flink SQL script');
  const parts: string[] = [];
  let part = '';
  let budget = 0;
  const flush = (): void => {
    if (part !== '') parts.push(part);
    part = '';
    budget = 0;
  };
  for (const piece of pieces(sql)) {
    const cost = piece.token ? TOKEN_BUDGET_CHARS : piece.text.length;
    if (budget + cost > MSF_PROPERTY_LIMITS.valueChars) {
      if (piece.token) flush();
      else {
        // Literal text: fill the part, then go on in new ones.
        let rest = piece.text;
        while (budget + rest.length > MSF_PROPERTY_LIMITS.valueChars) {
          let take = MSF_PROPERTY_LIMITS.valueChars - budget;
          // Keep a surrogate pair whole.
          if (take > 0 && /[\uD800-\uDBFF]/.test(rest[take - 1])) take -= 1;
          part += rest.slice(0, take);
          rest = rest.slice(take);
          flush();
        }
        part += rest;
        budget += rest.length;
        continue;
      }
    }
    part += piece.text;
    budget += cost;
  }
  flush();
  if (parts.length > MSF_PROPERTY_LIMITS.valuesPerGroup) {
    throw new ConfigError('application.sql', `translates to a Flink SQL script of ${parts.length} parts of up to ${MSF_PROPERTY_LIMITS.valueChars} characters; MSF allows ${MSF_PROPERTY_LIMITS.valuesPerGroup} values in a property group (about ${MSF_PROPERTY_LIMITS.valuesPerGroup * MSF_PROPERTY_LIMITS.valueChars / 1000} KB of SQL). Shorten the application`);
  }
  // Three digits: the job joins parts in key (string) order, and 50 parts never need a fourth.
  return { propertyGroupId: SQL_PROPERTY_GROUP, propertyMap: Object.fromEntries(parts.map((p, i) => [`sql.${String(i).padStart(3, '0')}`, p])) };
}

/** The script as literal runs and token markers, in order. */
function pieces(sql: string): { text: string; token: boolean }[] {
  const out: { text: string; token: boolean }[] = [];
  let at = 0;
  for (const m of sql.matchAll(TOKEN_MARKER)) {
    if (m.index > at) out.push({ text: sql.slice(at, m.index), token: false });
    out.push({ text: m[0], token: true });
    at = m.index + m[0].length;
  }
  if (at < sql.length) out.push({ text: sql.slice(at), token: false });
  return out;
}
