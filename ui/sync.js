// Sync with the organisation's server: the status in the top bar (always
// visible), and the Settings card to sign in, sign out, sync now and read
// the changes the server refused.
import { call } from "./ipc.js";
import { buildForm, el, toast } from "./forms.js";
import { date } from "./format.js";

const POLL_MS = 1500;

function time(iso) {
  if (!iso) return "";
  const d = new Date(iso);
  const hm = d.toLocaleTimeString("en-IN", { hour: "2-digit", minute: "2-digit", hour12: false });
  const today = new Date().toDateString() === d.toDateString();
  return today ? hm : `${date(iso.slice(0, 10))} ${hm}`;
}

// The words of the top-bar status for a SyncStatus.
export function statusText(s) {
  const waiting = s.pending === 1 ? "1 change waiting" : `${s.pending} changes waiting`;
  let text;
  switch (s.state) {
    case "standalone":
      return "Not synced: this desk works on its own";
    case "signed_out":
      text = `Signed out${s.org_name ? ` of ${s.org_name}` : ""}${s.pending ? ` · ${waiting}` : ""}`;
      break;
    case "syncing":
      text = s.progress && s.progress.total > 0
        ? `Syncing: ${s.progress.phase === "upload" ? "sending" : "receiving"} ${Math.min(100, Math.round((100 * s.progress.done) / s.progress.total))}%`
        : "Syncing…";
      break;
    case "online":
      text = `Online · synced ${time(s.last_synced_at)}`;
      break;
    case "offline":
      text = `Offline · ${s.pending ? waiting : "nothing waiting"}${s.last_synced_at ? ` · last synced ${time(s.last_synced_at)}` : ""}`;
      break;
    default:
      text = s.state;
  }
  if (s.conflicts) text += ` · ${s.conflicts} conflict${s.conflicts === 1 ? "" : "s"} to review`;
  return text;
}

// The status button in the top bar; a click opens Settings' sync card.
export function installSyncIndicator(go) {
  const bar = document.querySelector(".topbar");
  const button = el("button", {
    type: "button",
    id: "sync-status",
    class: "sync-status",
    "data-state": "standalone",
    "aria-live": "polite",
    title: "Server sync: open its settings",
  });
  button.addEventListener("click", () => go("settings", "sync"));
  bar.append(button);
  const refresh = async () => {
    try {
      const s = await call("sync_status");
      button.textContent = statusText(s);
      button.dataset.state = s.state;
      button.dataset.conflicts = String(s.conflicts);
      button.dataset.pending = String(s.pending);
      document.dispatchEvent(new CustomEvent("sync-status", { detail: s }));
    } catch {
      button.textContent = "Sync status unavailable";
    }
  };
  refresh();
  setInterval(refresh, POLL_MS);
}

// Settings' "Server sync" card. `onLinked` runs after a sign-in.
export async function syncCard(onLinked) {
  const card = el("div", { class: "sync-card", id: "sync" });
  const draw = async () => {
    const s = await call("sync_status");
    const conflicts = await call("sync_conflicts");
    card.replaceChildren(el("h2", { text: "Server sync" }));
    if (s.state === "standalone" || s.state === "signed_out") {
      card.append(
        el("p", {
          class: "hint",
          text:
            s.state === "standalone"
              ? "Sign in to your organisation's server to share this desk's work with every other desk and the owner. A desk that already has a business uploads it once, to an organisation that is still empty."
              : `This desk keeps the books of ${s.org_name}. Sign in again to send ${s.pending} waiting change${s.pending === 1 ? "" : "s"} and receive the others'.`,
        }),
        signInForm(s, async () => {
          await draw();
          if (onLinked) onLinked();
        }),
      );
    } else {
      const syncNow = el("button", { type: "button", text: "Sync now" });
      syncNow.addEventListener("click", async () => {
        await call("sync_now");
        toast("Syncing now");
      });
      const signOut = el("button", { type: "button", text: "Sign out" });
      signOut.addEventListener("click", async () => {
        await call("sync_sign_out");
        toast("Signed out; the session was removed from this computer");
        await draw();
      });
      card.append(
        el(
          "dl",
          { class: "facts" },
          el("dt", { text: "Status" }),
          el("dd", { text: statusText(s), "data-testid": "sync-state" }),
          el("dt", { text: "Organisation" }),
          el("dd", { text: s.org_name }),
          el("dt", { text: "Server" }),
          el("dd", { text: s.server_url }),
          el("dt", { text: "Signed in as" }),
          el("dd", { text: `${s.user_email} (${(s.user_role || "").replace("_", " ")})` }),
          el("dt", { text: "Session kept in" }),
          el("dd", {
            text:
              s.token_place === "memory"
                ? "Memory only: this computer has no keyring, so you sign in again after closing MultiPMS"
                : "The system keyring",
          }),
        ),
        el("div", { class: "actions" }, syncNow, signOut),
      );
    }
    if (conflicts.length) {
      const list = el("ul", { class: "conflicts", "aria-label": "Conflicts to review" });
      for (const c of conflicts) {
        const read = el("button", { type: "button", text: "Mark as read" });
        read.addEventListener("click", async () => {
          await call("dismiss_sync_conflict", { opId: c.op_id });
          await draw();
        });
        list.append(
          el(
            "li",
            {},
            el("p", { text: c.message }),
            el("p", {
              class: "hint",
              text: `Undone on this desk at ${time(c.happened_at)}: the server's version now shows here. Make the change again if it still applies.`,
            }),
            read,
          ),
        );
      }
      card.append(el("h3", { text: "Conflicts to review" }), list);
    }
  };
  await draw();
  const follow = () => {
    if (!card.isConnected) {
      document.removeEventListener("sync-status", follow);
    }
  };
  document.addEventListener("sync-status", follow);
  return card;
}

function signInForm(s, after) {
  return buildForm({
    submitLabel: "Sign in",
    fields: [
      {
        name: "server_url",
        label: "Server address",
        value: s.server_url || "",
        placeholder: "https://pms.example.in",
        hint: "Your administrator gives it to you. Only https:// addresses are accepted.",
        wide: true,
      },
      { name: "email", label: "Email", value: s.user_email || "", autocomplete: "username" },
      { name: "password", label: "Password", type: "password", autocomplete: "current-password" },
    ],
    onSubmit: async (v) => {
      const start = await call("sync_sign_in", {
        serverUrl: v.server_url || "",
        email: v.email || "",
        password: v.password || "",
      });
      if (start === "downloading") toast("Signed in: receiving your organisation's data");
      else if (start && start.uploading) toast(`Signed in: sending this desk's ${start.uploading.rows} records`);
      else toast("Signed in");
      await after();
    },
  });
}
