import { Sealer } from "../../crypto/sealer";
import { badInput } from "../../errors/app-error";
import type { AppDefinition } from "../apps/app-definition";

/** One submitted credential field. */
export interface CredentialInput {
  name: string;
  value: string;
}

const MAX_VALUE_LENGTH = 8192;

/**
 * Checks submitted credentials against the app's field definitions: every field known, required
 * ones present and non-empty, patterns matched. Returns the values by name. Error messages name
 * the field, never echo the value.
 */
export function validateCredentials(app: AppDefinition, input: readonly CredentialInput[]): Record<string, string> {
  if (app.authType !== "KEYS" && app.authType !== "BASIC") {
    throw badInput(`${app.name} does not connect with keys (${app.authType}).`, "appSlug");
  }
  const fields = new Map(app.fields.map((f) => [f.name, f]));
  const values: Record<string, string> = {};
  for (const { name, value } of input) {
    const field = fields.get(name);
    if (!field) throw badInput(`${app.name} has no credential field "${name}".`, "credentials");
    if (name in values) throw badInput(`The field "${name}" is given twice.`, "credentials");
    if (value.length > MAX_VALUE_LENGTH) throw badInput(`The field "${name}" is too long.`, "credentials");
    if (Sealer.isSealed(value.trim())) throw badInput(`The field "${name}" holds a sealed value, not a credential.`, "credentials");
    values[name] = value.trim();
  }
  for (const field of app.fields) {
    const value = values[field.name];
    if (value === undefined || value === "") {
      if (field.optional) {
        delete values[field.name];
        continue;
      }
      throw badInput(`The field "${field.name}" (${field.label}) is required.`, "credentials");
    }
    if (field.pattern && !new RegExp(field.pattern).test(value)) {
      throw badInput(`The field "${field.name}" (${field.label}) is not in the expected format.`, "credentials");
    }
  }
  return values;
}

/** A canonical text of credential values (sorted by field) for fingerprinting. */
export function canonicalCredentials(values: Readonly<Record<string, string>>): string {
  return JSON.stringify(Object.keys(values).sort().map((k) => [k, values[k]]));
}
