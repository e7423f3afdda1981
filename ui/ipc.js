// The one door to Rust. Every command answers a value or throws a
// CommandError: { kind, field?, message }.

const tauri = window.__TAURI__;

export async function call(command, args = {}) {
  if (!tauri || !tauri.core) {
    throw { kind: "unavailable", message: "MultiPMS must run inside its desktop window." };
  }
  try {
    return await tauri.core.invoke(command, args);
  } catch (error) {
    if (error && typeof error === "object" && "kind" in error) throw error;
    throw { kind: "internal", message: String(error) };
  }
}
