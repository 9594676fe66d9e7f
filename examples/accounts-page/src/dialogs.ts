import { append, byId, h, type Child } from "./dom.js";

/** A button of a dialog's footer. */
export interface DialogAction {
  label: string;
  kind?: "primary" | "danger" | "plain";
  /** Runs on click; the dialog stays open while it runs and closes when it resolves true. */
  run?: () => boolean | void | Promise<boolean | void>;
  /** For a button that must act inside the click itself (opening a popup): runs synchronously. */
  runNow?: () => void;
  id?: string;
}

/** Shows the page's one dialog with a title, a body and footer buttons (Cancel is added). */
export function openDialog(title: string, body: Child | Child[], actions: DialogAction[], options: { id?: string } = {}): HTMLDialogElement {
  const dialog = byId<HTMLDialogElement>("dialog");
  dialog.replaceChildren();
  dialog.dataset.dialog = options.id ?? "";
  const error = h("p", { class: "dialog-error", role: "alert", hidden: true });
  const footer = h("footer", {}, h("button", { type: "button", class: "plain", "data-action": "cancel", onclick: () => dialog.close() }, "Cancel"));
  for (const action of actions) {
    const button = h("button", { type: "button", class: action.kind ?? "primary", ...(action.id ? { "data-action": action.id } : {}) }, action.label);
    button.addEventListener("click", () => {
      if (action.runNow) {
        action.runNow();
        return;
      }
      button.disabled = true;
      error.hidden = true;
      Promise.resolve()
        .then(() => action.run?.())
        .then(
          (done) => {
            if (done !== false) dialog.close();
          },
          (failure: unknown) => {
            error.textContent = failure instanceof Error ? failure.message : String(failure);
            error.hidden = false;
          },
        )
        .finally(() => (button.disabled = false));
    });
    footer.append(button);
  }
  append(dialog, h("h2", {}, title), ...(Array.isArray(body) ? body : [body]), error, footer);
  if (!dialog.open) dialog.showModal();
  return dialog;
}

/** Closes the dialog if it is open. */
export function closeDialog(): void {
  const dialog = byId<HTMLDialogElement>("dialog");
  if (dialog.open) dialog.close();
}

/** A labelled form field. */
export function field(label: string, control: HTMLElement, hint?: string): HTMLLabelElement {
  return h("label", { class: "field" }, h("span", { class: "label" }, label), control, hint ? h("span", { class: "hint" }, hint) : null);
}
