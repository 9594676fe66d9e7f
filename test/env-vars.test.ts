import {
  DeleteEnvironmentVariableDocument,
  EgressIpRangesDocument,
  EnvironmentVariablesDocument,
  SetEnvironmentVariableDocument,
} from "../operations/generated";
import { ConfigError, loadConfig } from "../src/config";
import { EnvVarEntity } from "../src/modules/env-vars/env-var.entity";
import { substituteEnv } from "../src/modules/env-vars/substitute";
import { buildTeam } from "./support/factories";
import { codesOf, dataOf } from "./support/graphql-client";
import { startTestService, type TestService } from "./support/test-service";

let service: TestService;
beforeAll(async () => {
  service = await startTestService({ EGRESS_IP_RANGES: "203.0.113.0/24, 2001:db8::/32" });
});
afterAll(async () => {
  await service?.close();
});

type Team = Awaited<ReturnType<typeof buildTeam>>;

const rowsOf = (workspaceId: string) => service.dataSource.getRepository(EnvVarEntity).findBy({ workspaceId });
/** The value column exactly as the database holds it (no decoding). */
const rawValueOf = async (id: string): Promise<string> =>
  ((await service.dataSource
    .getRepository(EnvVarEntity)
    .createQueryBuilder("v")
    .select("v.value", "value")
    .where("v.id = :id", { id })
    .getRawOne()) as { value: string }).value;

const setVar = (user: string, input: { workspaceId: string; name: string; value: string; secret?: boolean; description?: string | null }) =>
  service.call(user, SetEnvironmentVariableDocument, { input });
const listVars = (user: string, workspaceId: string) => service.call(user, EnvironmentVariablesDocument, { workspaceId });

describe("environment variables: secrecy", () => {
  it("never returns a secret value, to any role, and stores it sealed", async () => {
    const team = await buildTeam(service);
    const plaintext = "sk_live_51-very-secret-value";
    const set = await setVar(team.owner.userId, { workspaceId: team.workspace.id, name: "STRIPE_KEY", value: plaintext, description: "Billing" });
    const created = dataOf(set).setEnvironmentVariable;
    expect(created).toMatchObject({ name: "STRIPE_KEY", secret: true, value: null, description: "Billing" });
    expect(set.text).not.toContain(plaintext);

    for (const user of [team.owner, team.admin, team.member]) {
      const listed = await listVars(user.userId, team.workspace.id);
      expect(dataOf(listed).environmentVariables).toEqual([expect.objectContaining({ id: created.id, name: "STRIPE_KEY", secret: true, value: null })]);
      expect(listed.text).not.toContain(plaintext);
    }

    const [row] = await rowsOf(team.workspace.id);
    expect(row!.value.startsWith("cas1.")).toBe(true);
    expect(row!.value).not.toContain(plaintext);
    const raw = await rawValueOf(created.id);
    expect(raw).toContain("cas1.");
    expect(raw).not.toContain(plaintext);
  });

  it("returns a non-secret value in clear, to members too, and stores it in clear", async () => {
    const team = await buildTeam(service);
    const set = dataOf(await setVar(team.admin.userId, { workspaceId: team.workspace.id, name: "API_BASE", value: "https://api.example.test/v2", secret: false }));
    expect(set.setEnvironmentVariable).toMatchObject({ name: "API_BASE", secret: false, value: "https://api.example.test/v2" });
    const listed = dataOf(await listVars(team.member.userId, team.workspace.id)).environmentVariables;
    expect(listed).toEqual([expect.objectContaining({ name: "API_BASE", secret: false, value: "https://api.example.test/v2" })]);
    expect((await rowsOf(team.workspace.id))[0]!.value).toBe("https://api.example.test/v2");
  });

  it("lists variables by name", async () => {
    const team = await buildTeam(service);
    for (const name of ["ZETA", "ALPHA", "_MID"]) dataOf(await setVar(team.owner.userId, { workspaceId: team.workspace.id, name, value: "x", secret: false }));
    expect(dataOf(await listVars(team.member.userId, team.workspace.id)).environmentVariables.map((v) => v.name)).toEqual(["ALPHA", "ZETA", "_MID"]);
  });
});

describe("environment variables: validation", () => {
  it.each([["1ABC"], ["CA_TOKEN"], ["ca_x"], ["Ca_Mixed"], ["bad-name"], [""], ["has space"], ["A".repeat(129)]])(
    "refuses the name %j with BAD_USER_INPUT on field name and stores nothing",
    async (name) => {
      const team = await buildTeam(service);
      const result = await setVar(team.owner.userId, { workspaceId: team.workspace.id, name, value: "v" });
      expect(codesOf(result)).toEqual(["BAD_USER_INPUT"]);
      expect(result.errors?.[0]?.extensions?.details).toMatchObject({ field: "name" });
      expect(await rowsOf(team.workspace.id)).toHaveLength(0);
    },
  );

  it("accepts a 128-character name and names with a CA inside or without the underscore", async () => {
    const team = await buildTeam(service);
    for (const name of ["A".repeat(128), "CAT", "MY_CA_KEY", "_x1"]) {
      dataOf(await setVar(team.owner.userId, { workspaceId: team.workspace.id, name, value: "v" }));
    }
    expect(await rowsOf(team.workspace.id)).toHaveLength(4);
  });

  it("refuses a value over 64 KB (secret or not) and stores nothing", async () => {
    const team = await buildTeam(service);
    for (const secret of [true, false]) {
      const result = await setVar(team.owner.userId, { workspaceId: team.workspace.id, name: "BIG", value: "x".repeat(65537), secret });
      expect(codesOf(result)).toEqual(["BAD_USER_INPUT"]);
      expect(result.errors?.[0]?.extensions?.details).toMatchObject({ field: "value" });
    }
    // 65536 bytes, but fewer characters: the limit is in bytes of UTF-8.
    const multibyte = await setVar(team.owner.userId, { workspaceId: team.workspace.id, name: "BIG", value: "é".repeat(32769) });
    expect(codesOf(multibyte)).toEqual(["BAD_USER_INPUT"]);
    expect(await rowsOf(team.workspace.id)).toHaveLength(0);
  });

  it("keeps a value of exactly 64 KB, sealed or in clear", async () => {
    const team = await buildTeam(service);
    const secretValue = "é".repeat(32768); // 65536 bytes
    const clearValue = "y".repeat(65536);
    dataOf(await setVar(team.owner.userId, { workspaceId: team.workspace.id, name: "BIG_SECRET", value: secretValue }));
    dataOf(await setVar(team.owner.userId, { workspaceId: team.workspace.id, name: "BIG_CLEAR", value: clearValue, secret: false }));
    const run = await service.services.envVars.resolveForRun(team.workspace.id);
    expect(run.values.BIG_SECRET).toBe(secretValue);
    expect(run.values.BIG_CLEAR).toBe(clearValue);
  });

  it("refuses a description over 500 characters", async () => {
    const team = await buildTeam(service);
    const result = await setVar(team.owner.userId, { workspaceId: team.workspace.id, name: "X", value: "v", description: "d".repeat(501) });
    expect(codesOf(result)).toEqual(["BAD_USER_INPUT"]);
    expect(await rowsOf(team.workspace.id)).toHaveLength(0);
  });
});

describe("environment variables: who may do what", () => {
  let team: Team;
  beforeAll(async () => {
    team = await buildTeam(service);
    dataOf(await setVar(team.owner.userId, { workspaceId: team.workspace.id, name: "TOKEN", value: "t0ken-value" }));
  });

  it("lets owners and admins set, not members (FORBIDDEN)", async () => {
    dataOf(await setVar(team.admin.userId, { workspaceId: team.workspace.id, name: "BY_ADMIN", value: "a" }));
    const byMember = await setVar(team.member.userId, { workspaceId: team.workspace.id, name: "BY_MEMBER", value: "m" });
    expect(codesOf(byMember)).toEqual(["FORBIDDEN"]);
    const names = (await rowsOf(team.workspace.id)).map((r) => r.name).sort();
    expect(names).toEqual(["BY_ADMIN", "TOKEN"]);
  });

  it("refuses members deleting (FORBIDDEN)", async () => {
    const result = await service.call(team.member.userId, DeleteEnvironmentVariableDocument, { input: { workspaceId: team.workspace.id, name: "TOKEN" } });
    expect(codesOf(result)).toEqual(["FORBIDDEN"]);
    expect((await rowsOf(team.workspace.id)).some((r) => r.name === "TOKEN")).toBe(true);
  });

  it("answers NOT_FOUND to an outsider for every operation", async () => {
    expect(codesOf(await listVars(team.outsider.userId, team.workspace.id))).toEqual(["NOT_FOUND"]);
    expect(codesOf(await setVar(team.outsider.userId, { workspaceId: team.workspace.id, name: "X", value: "x" }))).toEqual(["NOT_FOUND"]);
    const del = await service.call(team.outsider.userId, DeleteEnvironmentVariableDocument, { input: { workspaceId: team.workspace.id, name: "TOKEN" } });
    expect(codesOf(del)).toEqual(["NOT_FOUND"]);
    expect((await rowsOf(team.workspace.id)).some((r) => r.name === "X")).toBe(false);
  });

  it("requires a caller", async () => {
    expect(codesOf(await service.call(null, EnvironmentVariablesDocument, { workspaceId: team.workspace.id }))).toEqual(["UNAUTHENTICATED"]);
  });
});

describe("environment variables: upsert and delete", () => {
  it("replaces a variable by name (same id), whatever the case of the name", async () => {
    const team = await buildTeam(service);
    const first = dataOf(await setVar(team.owner.userId, { workspaceId: team.workspace.id, name: "WEBHOOK_SECRET", value: "one" })).setEnvironmentVariable;
    const second = dataOf(
      await setVar(team.admin.userId, { workspaceId: team.workspace.id, name: "WEBHOOK_SECRET", value: "two", description: "rotated" }),
    ).setEnvironmentVariable;
    expect(second.id).toBe(first.id);
    expect(second.description).toBe("rotated");
    expect((await service.services.envVars.resolveForRun(team.workspace.id)).values).toEqual({ WEBHOOK_SECRET: "two" });

    const renamed = dataOf(await setVar(team.owner.userId, { workspaceId: team.workspace.id, name: "Webhook_Secret", value: "three", secret: false }))
      .setEnvironmentVariable;
    expect(renamed).toMatchObject({ id: first.id, name: "Webhook_Secret", secret: false, value: "three", description: null });
    const rows = await rowsOf(team.workspace.id);
    expect(rows).toHaveLength(1);
    expect(rows[0]!.value).toBe("three");
  });

  it("seals a value again when a clear variable becomes secret", async () => {
    const team = await buildTeam(service);
    dataOf(await setVar(team.owner.userId, { workspaceId: team.workspace.id, name: "REGION", value: "eu-west-1", secret: false }));
    const secret = dataOf(await setVar(team.owner.userId, { workspaceId: team.workspace.id, name: "REGION", value: "eu-central-1" }));
    expect(secret.setEnvironmentVariable).toMatchObject({ secret: true, value: null });
    expect((await rowsOf(team.workspace.id))[0]!.value.startsWith("cas1.")).toBe(true);
  });

  it("deletes a variable by name; a missing one is NOT_FOUND", async () => {
    const team = await buildTeam(service);
    const created = dataOf(await setVar(team.owner.userId, { workspaceId: team.workspace.id, name: "GONE", value: "x" })).setEnvironmentVariable;
    const deleted = await service.call(team.admin.userId, DeleteEnvironmentVariableDocument, { input: { workspaceId: team.workspace.id, name: "GONE" } });
    expect(dataOf(deleted).deleteEnvironmentVariable).toBe(created.id);
    expect(await rowsOf(team.workspace.id)).toHaveLength(0);
    const again = await service.call(team.owner.userId, DeleteEnvironmentVariableDocument, { input: { workspaceId: team.workspace.id, name: "GONE" } });
    expect(codesOf(again)).toEqual(["NOT_FOUND"]);
    const invalid = await service.call(team.owner.userId, DeleteEnvironmentVariableDocument, { input: { workspaceId: team.workspace.id, name: "not-a-name" } });
    expect(codesOf(invalid)).toEqual(["NOT_FOUND"]);
  });

  it("keeps workspaces apart: the same name in two workspaces is two variables", async () => {
    const team = await buildTeam(service);
    dataOf(await setVar(team.owner.userId, { workspaceId: team.workspace.id, name: "SHARED", value: "mine" }));
    dataOf(await setVar(team.outsider.userId, { workspaceId: team.otherWorkspace.id, name: "SHARED", value: "theirs" }));
    expect((await service.services.envVars.resolveForRun(team.workspace.id)).values).toEqual({ SHARED: "mine" });
    expect((await service.services.envVars.resolveForRun(team.otherWorkspace.id)).values).toEqual({ SHARED: "theirs" });
  });
});

describe("resolveForRun", () => {
  it("opens every variable and lists the secret values for redaction", async () => {
    const team = await buildTeam(service);
    for (const input of [
      { name: "API_KEY", value: "key-123456", secret: true },
      { name: "PASSWORD", value: "hunter2-pass", secret: true },
      { name: "EMPTY_SECRET", value: "", secret: true },
      { name: "BASE_URL", value: "https://example.test", secret: false },
    ]) {
      dataOf(await setVar(team.owner.userId, { workspaceId: team.workspace.id, ...input }));
    }
    const run = await service.services.envVars.resolveForRun(team.workspace.id);
    expect(run.values).toEqual({ API_KEY: "key-123456", PASSWORD: "hunter2-pass", EMPTY_SECRET: "", BASE_URL: "https://example.test" });
    expect([...run.secrets].sort()).toEqual(["hunter2-pass", "key-123456"]);
    expect(substituteEnv("{{env.BASE_URL}}/v1?key={{ env.API_KEY }}", run.values)).toEqual({ text: "https://example.test/v1?key=key-123456", missing: [] });
  });

  it("answers nothing for a workspace without variables", async () => {
    const team = await buildTeam(service);
    expect(await service.services.envVars.resolveForRun(team.workspace.id)).toEqual({ values: {}, secrets: [] });
  });
});

describe("substituteEnv", () => {
  const values = { TOKEN: "abc", HOST: "api.example.test", EMPTY: "", DOLLAR: "$& $1 $$" };

  it.each([
    ["Bearer {{env.TOKEN}}", "Bearer abc", []],
    ["{{ env.TOKEN }}", "abc", []],
    ["{{env.TOKEN  }}-{{   env.HOST}}", "abc-api.example.test", []],
    ["https://{{env.HOST}}/{{env.TOKEN}}/{{env.TOKEN}}", "https://api.example.test/abc/abc", []],
    ["[{{env.EMPTY}}]", "[]", []],
    ["{{env.DOLLAR}}", "$& $1 $$", []],
    ["no references", "no references", []],
    ["{{env.MISSING}} and {{ env.MISSING }} and {{env.OTHER}}", "{{env.MISSING}} and {{ env.MISSING }} and {{env.OTHER}}", ["MISSING", "OTHER"]],
    ["{{env.token}}", "{{env.token}}", ["token"]],
    ["{{TOKEN}} {{ env. TOKEN }} {env.TOKEN} {{env.1X}}", "{{TOKEN}} {{ env. TOKEN }} {env.TOKEN} {{env.1X}}", []],
    ["{{{env.TOKEN}}}", "{abc}", []],
  ])("%j", (text, expected, missing) => {
    expect(substituteEnv(text, values)).toEqual({ text: expected, missing });
  });

  it("does not expand references inside values, and ignores inherited properties", () => {
    expect(substituteEnv("{{env.A}}", { A: "{{env.B}}", B: "no" })).toEqual({ text: "{{env.B}}", missing: [] });
    expect(substituteEnv("{{env.constructor}}{{env.toString}}", {})).toEqual({
      text: "{{env.constructor}}{{env.toString}}",
      missing: ["constructor", "toString"],
    });
  });
});

describe("egress IP ranges", () => {
  it("answers the configured ranges to any caller", async () => {
    const team = await buildTeam(service);
    expect(dataOf(await service.call(team.member.userId, EgressIpRangesDocument)).egressIpRanges).toEqual(["203.0.113.0/24", "2001:db8::/32"]);
    expect(codesOf(await service.call(null, EgressIpRangesDocument))).toEqual(["UNAUTHENTICATED"]);
  });

  it("defaults to none", () => {
    expect(loadConfig({}).egressIpRanges).toEqual([]);
    expect(loadConfig({ EGRESS_IP_RANGES: " " }).egressIpRanges).toEqual([]);
    expect(loadConfig({ EGRESS_IP_RANGES: "10.0.0.0/8,::/0,192.0.2.1/32" }).egressIpRanges).toEqual(["10.0.0.0/8", "::/0", "192.0.2.1/32"]);
  });

  it.each([["203.0.113.0"], ["203.0.113.0/33"], ["2001:db8::/129"], ["300.1.1.1/24"], ["example.com/24"], ["10.0.0.0/8/1"], ["10.0.0.0/x"], ["203.0.113.0/24,nope"]])(
    "stops on %j, naming EGRESS_IP_RANGES",
    (value) => {
      let error: unknown;
      try {
        loadConfig({ EGRESS_IP_RANGES: value });
      } catch (caught) {
        error = caught;
      }
      expect(error).toBeInstanceOf(ConfigError);
      expect((error as ConfigError).variable).toBe("EGRESS_IP_RANGES");
      expect((error as ConfigError).message).toContain("EGRESS_IP_RANGES");
    },
  );
});
