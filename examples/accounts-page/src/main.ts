// The reference accounts page: the Connected Accounts service's Accounts page as a plain web app
// on the client package. Every button is shown, and enabled only where the account's `viewerCan`
// says so: the page has no idea of its own about who may do what.
import { createConnectedAccounts, type AccountEvent, type ConnectedAccounts, type EventStreamStatus } from "@connected-accounts/client";
import {
  AccountsPageDocument,
  AppDocument,
  AppsDocument,
  ConnectKeyAccountDocument,
  DeleteAccountDocument,
  ReconnectKeyAccountDocument,
  RenameAccountDocument,
  RevokeAccountAccessDocument,
  ShareAccountDocument,
  ViewerDocument,
  WorkspaceDocument,
  type AccountFilterInput,
  type AccountListItemFragment,
  type AppQuery,
  type WorkspaceQuery,
} from "@connected-accounts/client/operations";
import { closeDialog, field, openDialog } from "./dialogs.js";
import { byId, debounce, h } from "./dom.js";
import { accessLabel, describeError, HEALTH, memberName, since } from "./format.js";
import { loadPageConfig, tokenSource } from "./session.js";

type Workspace = WorkspaceQuery["workspace"];
type App = AppQuery["app"];

class AccountsPage {
  private workspace!: Workspace;
  private viewerUserId = "";
  private accounts: AccountListItemFragment[] = [];
  private endCursor: string | null = null;
  private readonly appNames = new Map<string, string>();
  private flashIds = new Set<string>();
  private loading: Promise<void> | null = null;
  private reloadAgain = false;

  constructor(
    private readonly client: ConnectedAccounts,
    private readonly user: string,
  ) {}

  async start(): Promise<void> {
    const { viewer } = await this.client.request(ViewerDocument);
    this.viewerUserId = viewer.userId;
    byId("viewer").replaceChildren("Signed in as ", h("strong", {}, viewer.displayName ?? viewer.userId));
    if (viewer.workspaces.length === 0) return this.notice("info", "You are not a member of any workspace yet.");
    const wanted = new URLSearchParams(location.search).get("workspace");
    const current = viewer.workspaces.find((w) => w.id === wanted) ?? viewer.workspaces[0]!;
    const select = byId<HTMLSelectElement>("workspace");
    select.replaceChildren(...viewer.workspaces.map((w) => h("option", { value: w.id, selected: w.id === current.id }, w.name)));
    select.addEventListener("change", () => {
      const url = new URL(location.href);
      url.searchParams.set("workspace", select.value);
      location.assign(url);
    });
    this.workspace = (await this.client.request(WorkspaceDocument, { id: current.id })).workspace;
    byId<HTMLSelectElement>("filter-owner").append(...this.workspace.members.map((m) => h("option", { value: m.id }, memberName(m))));
    this.wireControls();
    this.followEvents();
    await this.reload();
  }

  // -------------------------------------------------------------------------------------------
  // the list

  private filter(): AccountFilterInput {
    const value = (id: string) => byId<HTMLInputElement | HTMLSelectElement>(id).value.trim() || undefined;
    return {
      search: value("search"),
      appSlug: value("filter-app"),
      health: value("filter-health") as AccountFilterInput["health"],
      shared: value("filter-shared") as AccountFilterInput["shared"],
      ownerMemberId: value("filter-owner"),
    };
  }

  /** Loads the first page again (one load at a time; a reload asked for meanwhile runs after it). */
  reload(): Promise<void> {
    if (this.loading) {
      this.reloadAgain = true;
      return this.loading;
    }
    this.loading = (async () => {
      try {
        do {
          this.reloadAgain = false;
          const { accounts } = await this.client.request(AccountsPageDocument, { workspaceId: this.workspace.id, filter: this.filter() });
          this.accounts = accounts.nodes;
          this.endCursor = accounts.pageInfo.hasNextPage ? (accounts.pageInfo.endCursor ?? null) : null;
          this.render();
        } while (this.reloadAgain);
      } catch (error) {
        this.showError(error);
      } finally {
        this.loading = null;
      }
    })();
    return this.loading;
  }

  private async loadMore(): Promise<void> {
    if (!this.endCursor) return;
    const { accounts } = await this.client.request(AccountsPageDocument, {
      workspaceId: this.workspace.id,
      filter: this.filter(),
      after: this.endCursor,
    });
    this.accounts.push(...accounts.nodes);
    this.endCursor = accounts.pageInfo.hasNextPage ? (accounts.pageInfo.endCursor ?? null) : null;
    this.render();
  }

  private render(): void {
    for (const account of this.accounts) this.appNames.set(account.appSlug, account.app.name);
    this.renderAppFilter();
    byId("rows").replaceChildren(...this.accounts.map((account) => this.row(account)));
    const filtered = Object.values(this.filter()).some((v) => v !== undefined);
    const empty = byId("empty");
    empty.hidden = this.accounts.length > 0;
    empty.textContent = filtered ? "No accounts match these filters." : "No accounts yet. Connect an app to get started.";
    byId("more").hidden = this.endCursor === null;
    this.flashIds.clear();
  }

  private renderAppFilter(): void {
    const select = byId<HTMLSelectElement>("filter-app");
    const chosen = select.value;
    const options = [...this.appNames].sort((a, b) => a[1].localeCompare(b[1]));
    select.replaceChildren(h("option", { value: "" }, "All apps"), ...options.map(([slug, name]) => h("option", { value: slug, selected: slug === chosen }, name)));
  }

  private row(account: AccountListItemFragment): HTMLTableRowElement {
    const health = HEALTH[account.health.status];
    const can = account.viewerCan;
    const workflows = [...new Map(account.steps.map((s) => [s.workflow.id, s.workflow.name])).values()];
    const action = (id: string, label: string, allowed: boolean, run: () => void, kind = "plain") =>
      h(
        "button",
        {
          type: "button",
          class: kind,
          "data-action": id,
          disabled: !allowed,
          title: allowed ? undefined : "You can't do this to this account",
          onclick: run,
        },
        label,
      );
    return h(
      "tr",
      {
        "data-account-id": account.id,
        "data-health": account.health.status,
        class: [`health-${health.tone}`, this.flashIds.has(account.id) ? "flash" : ""].join(" ").trim(),
      },
      h(
        "td",
        { class: "account" },
        h("div", { class: "nickname" }, account.nickname),
        h(
          "div",
          { class: "meta" },
          account.app.name,
          account.externalIdentity?.displayName ? ` · ${account.externalIdentity.displayName}` : "",
          account.isLegacy ? h("span", { class: "tag" }, "Legacy") : null,
        ),
      ),
      h("td", { class: "owner" }, account.owner ? memberName(account.owner) + (account.owner.isViewer ? " (you)" : "") : h("span", { class: "muted" }, "No owner")),
      h(
        "td",
        { class: "health" },
        h("span", { class: `badge ${health.tone}` }, health.label),
        account.health.lastError ? h("div", { class: "error-text" }, account.health.lastError) : null,
      ),
      h("td", { class: "scopes" }, ...(account.scopes.length ? account.scopes.map((s) => h("code", { class: "scope" }, s)) : [h("span", { class: "muted" }, "—")])),
      h("td", { class: "access" }, accessLabel(account, this.viewerUserId)),
      h("td", { class: "workflows" }, workflows.length ? workflows.join(", ") : h("span", { class: "muted" }, "Not used"), h("div", { class: "meta" }, `Connected ${since(account.connectedAt)}`)),
      h(
        "td",
        { class: "actions" },
        action("reconnect", account.isLegacy ? "Claim" : "Reconnect", can.reconnect, () => this.reconnect(account), account.health.status === "NEEDS_RECONNECT" ? "primary" : "plain"),
        action("rename", "Rename", can.rename, () => this.rename(account)),
        action("access", "Manage access", can.manageAccess, () => this.manageAccess(account)),
        action("delete", "Delete", can.delete, () => this.remove(account), "danger"),
      ),
    );
  }

  // -------------------------------------------------------------------------------------------
  // live updates

  private followEvents(): void {
    const live = byId("live");
    const labels: Record<EventStreamStatus, string> = { connecting: "Connecting…", live: "Live", retrying: "Reconnecting…", stopped: "Not live" };
    const refresh = debounce(() => void this.reload(), 100);
    this.client.accountEvents({
      workspaceId: this.workspace.id,
      // One cursor per signed-in user and workspace in this browser.
      cursorKey: `accounts-page:${this.user}:${this.workspace.id}`,
      onEvent: (event: AccountEvent) => {
        this.flashIds.add(event.accountId);
        refresh();
      },
      onStatus: (status) => {
        live.dataset.status = status;
        live.textContent = labels[status];
      },
      onError: (error, { fatal }) => {
        if (fatal) this.notice("error", `Live updates stopped: ${error.message}`, error.code);
      },
    });
  }

  // -------------------------------------------------------------------------------------------
  // actions

  private wireControls(): void {
    const refilter = debounce(() => void this.reload(), 250);
    byId("search").addEventListener("input", refilter);
    for (const id of ["filter-app", "filter-health", "filter-shared", "filter-owner"]) byId(id).addEventListener("change", () => void this.reload());
    byId("filters").addEventListener("submit", (event) => event.preventDefault());
    byId("more").addEventListener("click", () => void this.loadMore().catch((e: unknown) => this.showError(e)));
    const connect = byId<HTMLButtonElement>("connect");
    connect.disabled = false;
    connect.addEventListener("click", () => this.chooseApp());
  }

  /** Step 1 of connecting: find the app in the catalog. */
  private chooseApp(): void {
    const search = h("input", { type: "search", placeholder: "Search apps", "aria-label": "Search apps", id: "app-search" });
    const results = h("ul", { class: "app-results", id: "app-results" });
    const find = async () => {
      const { apps } = await this.client.request(AppsDocument, { search: search.value.trim() || undefined, page: { first: 12 } });
      results.replaceChildren(
        ...apps.nodes.map((app) =>
          h(
            "li",
            {},
            h(
              "button",
              { type: "button", class: "app-choice", "data-app": app.slug, onclick: () => void this.openConnect(app.slug) },
              h("strong", {}, app.name),
              h("span", { class: "meta" }, app.authType === "OAUTH2" ? "Sign in with OAuth" : "API key"),
            ),
          ),
        ),
        ...(apps.nodes.length ? [] : [h("li", { class: "muted" }, "No app matches.")]),
      );
    };
    search.addEventListener("input", debounce(() => void find().catch((e: unknown) => this.showError(e)), 200));
    openDialog("Connect an app", [search, results], [], { id: "choose-app" });
    search.focus();
    void find().catch((e: unknown) => this.showError(e));
  }

  /** Step 2: the app's own form (OAuth: a nickname and a button that opens the popup; keys: its catalog fields). */
  private async openConnect(slug: string): Promise<void> {
    const { app } = await this.client.request(AppDocument, { slug });
    const nickname = h("input", { type: "text", placeholder: app.name, id: "nickname", maxlength: 100 });
    if (app.authType === "OAUTH2") {
      openDialog(
        `Connect ${app.name}`,
        [h("p", {}, `A window opens where you sign in to ${app.name} and allow access.`), field("Nickname", nickname, "How the account is listed (default: the app's name).")],
        [
          {
            label: `Connect with ${app.name}`,
            id: "start-oauth",
            // Straight from the click: the popup opens before anything is awaited.
            runNow: () => {
              const flow = this.client.connectAccount({ workspaceId: this.workspace.id, appSlug: app.slug, nickname: nickname.value.trim() || undefined });
              closeDialog();
              void this.afterPopup(flow, app.name, "connected");
            },
          },
        ],
        { id: "connect-oauth" },
      );
      return;
    }
    const form = this.keyFields(app);
    openDialog(
      `Connect ${app.name}`,
      [field("Nickname", nickname), ...form.elements],
      [
        {
          label: "Connect",
          id: "connect-key",
          run: async () => {
            const { connectKeyAccount } = await this.client.request(ConnectKeyAccountDocument, {
              input: { workspaceId: this.workspace.id, appSlug: app.slug, nickname: nickname.value.trim() || undefined, credentials: form.values(), verify: form.verify() },
            });
            this.flashIds.add(connectKeyAccount.id);
            this.notice("success", `${app.name} is connected.`);
            await this.reload();
          },
        },
      ],
      { id: "connect-key" },
    );
  }

  /** The inputs of an app's catalog fields (secret ones as passwords), and a check-first box. */
  private keyFields(app: App) {
    const inputs = app.fields.map((f) => ({
      name: f.name,
      input: h("input", {
        type: f.secret ? "password" : "text",
        name: f.name,
        required: !f.optional,
        autocomplete: "off",
        "data-field": f.name,
      }),
      label: f.label + (f.optional ? " (optional)" : ""),
      // The catalog's patterns are JavaScript regular expressions (unanchored), not HTML `pattern`s.
      pattern: f.pattern ? new RegExp(f.pattern) : null,
      optional: f.optional,
    }));
    const verify = h("input", { type: "checkbox", checked: app.hasTestRequest, disabled: !app.hasTestRequest, id: "verify" });
    return {
      elements: [
        ...inputs.map((i) => field(i.label, i.input)),
        h("label", { class: "check" }, verify, ` Check with ${app.name} first`),
      ],
      values: () => {
        for (const i of inputs) {
          if (i.input.value === "" && !i.optional) throw new Error(`${i.label} is required.`);
          if (i.input.value !== "" && i.pattern && !i.pattern.test(i.input.value)) throw new Error(`${i.label} does not look right for ${app.name}.`);
        }
        return inputs.filter((i) => i.input.value !== "").map((i) => ({ name: i.name, value: i.input.value }));
      },
      verify: () => verify.checked,
    };
  }

  private reconnect(account: AccountListItemFragment): void {
    if (account.app.authType === "OAUTH2") {
      // From the click itself, like a connect.
      void this.afterPopup(this.client.reconnectAccount(account.id), account.app.name, "reconnected");
      return;
    }
    void (async () => {
      const { app } = await this.client.request(AppDocument, { slug: account.appSlug });
      const form = this.keyFields(app);
      openDialog(
        `${account.isLegacy ? "Claim" : "Reconnect"} ${account.nickname}`,
        [h("p", {}, `Enter the ${app.name} credentials again.`), ...form.elements],
        [
          {
            label: account.isLegacy ? "Claim" : "Reconnect",
            id: "reconnect-key",
            run: async () => {
              const { reconnectKeyAccount } = await this.client.request(ReconnectKeyAccountDocument, {
                input: { accountId: account.id, credentials: form.values(), verify: form.verify() },
              });
              this.flashIds.add(account.id);
              this.notice("success", reconnectKeyAccount.claimed ? `${account.nickname} is yours now.` : `${account.nickname} is reconnected.`);
              await this.reload();
            },
          },
        ],
        { id: "reconnect-key" },
      );
    })().catch((e: unknown) => this.showError(e));
  }

  private async afterPopup(flow: Promise<{ accountId: string; claimed: boolean }>, appName: string, done: string): Promise<void> {
    this.notice("info", `Waiting for ${appName}… finish in the window that opened.`);
    try {
      const { accountId, claimed } = await flow;
      this.flashIds.add(accountId);
      this.notice("success", claimed ? `${appName} account claimed: it is yours now.` : `${appName} is ${done}.`);
      await this.reload();
    } catch (error) {
      this.showError(error, appName);
    }
  }

  private rename(account: AccountListItemFragment): void {
    const input = h("input", { type: "text", value: account.nickname, id: "new-nickname", maxlength: 100 });
    openDialog(
      `Rename ${account.nickname}`,
      field("Nickname", input),
      [
        {
          label: "Rename",
          id: "save-name",
          run: async () => {
            await this.client.request(RenameAccountDocument, { input: { accountId: account.id, nickname: input.value.trim() } });
            await this.reload();
          },
        },
      ],
      { id: "rename" },
    );
    input.select();
  }

  private manageAccess(account: AccountListItemFragment): void {
    const hadWorkspace = account.grants.some((g) => g.wholeWorkspace);
    const hadMembers = new Set(account.grants.flatMap((g) => (g.member ? [g.member.id] : [])));
    const everyone = h("input", { type: "checkbox", checked: hadWorkspace, id: "share-workspace" });
    const members = this.workspace.members
      .filter((m) => m.id !== account.owner?.id)
      .map((m) => ({ id: m.id, box: h("input", { type: "checkbox", checked: hadMembers.has(m.id), "data-member": m.userId }), member: m }));
    openDialog(
      `Manage access to ${account.nickname}`,
      [
        h("label", { class: "check" }, everyone, ` Everyone in ${this.workspace.name}`),
        h("p", { class: "meta" }, "Or only these members:"),
        h(
          "div",
          { class: "member-list" },
          ...members.map((m) => h("label", { class: "check" }, m.box, ` ${memberName(m.member)} `, h("span", { class: "meta" }, m.member.role.toLowerCase()))),
        ),
      ],
      [
        {
          label: "Save",
          id: "save-access",
          run: async () => {
            const grant = members.filter((m) => m.box.checked && !hadMembers.has(m.id)).map((m) => m.id);
            const revoke = members.filter((m) => !m.box.checked && hadMembers.has(m.id)).map((m) => m.id);
            const shareWorkspace = everyone.checked && !hadWorkspace;
            const revokeWorkspace = !everyone.checked && hadWorkspace;
            if (grant.length || shareWorkspace) {
              await this.client.request(ShareAccountDocument, { input: { accountId: account.id, memberIds: grant, workspace: shareWorkspace || undefined } });
            }
            if (revoke.length || revokeWorkspace) {
              await this.client.request(RevokeAccountAccessDocument, { input: { accountId: account.id, memberIds: revoke, workspace: revokeWorkspace || undefined } });
            }
            await this.reload();
          },
        },
      ],
      { id: "access" },
    );
  }

  private remove(account: AccountListItemFragment): void {
    const workflows = [...new Set(account.steps.map((s) => s.workflow.name))];
    openDialog(
      `Delete ${account.nickname}?`,
      [
        h("p", {}, `The ${account.app.name} account is removed from the workspace and its access is revoked at ${account.app.name} where possible.`),
        workflows.length ? h("p", { class: "error-text" }, `Steps in ${workflows.join(", ")} use it and will lose it.`) : null,
      ],
      [
        {
          label: "Delete",
          kind: "danger",
          id: "confirm-delete",
          run: async () => {
            await this.client.request(DeleteAccountDocument, { input: { accountId: account.id } });
            this.notice("success", `${account.nickname} was deleted.`);
            await this.reload();
          },
        },
      ],
      { id: "delete" },
    );
  }

  // -------------------------------------------------------------------------------------------
  // notices

  private showError(error: unknown, appName?: string): void {
    const { message, code } = describeError(error, appName);
    this.notice("error", message, code);
  }

  notice(kind: "info" | "success" | "error", message: string, code?: string): void {
    const box = byId("notice");
    box.hidden = false;
    box.className = `notice ${kind}`;
    box.dataset.kind = kind;
    box.dataset.code = code ?? "";
    box.replaceChildren(h("span", {}, message));
    if (code && kind === "error") box.append(h("code", { class: "code" }, code));
    box.append(h("button", { type: "button", class: "plain close", "aria-label": "Dismiss", onclick: () => (box.hidden = true) }, "×"));
  }
}

async function main(): Promise<void> {
  const config = await loadPageConfig();
  const user = new URLSearchParams(location.search).get("as") ?? config.defaultUser;
  const client = createConnectedAccounts({ url: config.serviceUrl, getToken: tokenSource(user) });
  const page = new AccountsPage(client, user);
  try {
    await page.start();
  } catch (error) {
    const { message, code } = describeError(error);
    page.notice("error", message, code);
  }
}

void main();
