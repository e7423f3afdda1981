// Indian formatting: ₹1,23,456.00 and DD/MM/YYYY.

export function rupees(paise) {
  const negative = paise < 0;
  const abs = Math.abs(paise);
  const whole = Math.floor(abs / 100).toString();
  const fraction = String(abs % 100).padStart(2, "0");
  const last3 = whole.slice(-3);
  const rest = whole.slice(0, -3).replace(/\B(?=(\d{2})+(?!\d))/g, ",");
  const grouped = rest ? `${rest},${last3}` : last3;
  return `${negative ? "-" : ""}₹${grouped}.${fraction}`;
}

export function date(iso) {
  if (!iso) return "";
  const [y, m, d] = iso.split("-");
  return `${d}/${m}/${y}`;
}

export function today() {
  const now = new Date();
  const dd = String(now.getDate()).padStart(2, "0");
  const mm = String(now.getMonth() + 1).padStart(2, "0");
  return `${dd}/${mm}/${now.getFullYear()}`;
}

export function percent(part, total) {
  if (!total) return "—";
  return `${((part * 1000) / total / 10).toFixed(1)}%`;
}

// "FY 2026-27" for an ISO date: the Indian financial year runs April to March.
export function financialYear(iso) {
  const [y, m] = iso.split("-").map(Number);
  const start = m >= 4 ? y : y - 1;
  return `FY ${start}-${String((start + 1) % 100).padStart(2, "0")}`;
}

// "+91 98765 43210" for a stored "+919876543210".
export function mobile(stored) {
  const m = /^\+91(\d{5})(\d{5})$/.exec(stored || "");
  return m ? `+91 ${m[1]} ${m[2]}` : stored || "";
}

// "Verified" for "verified", "Self employed" for "self_employed".
export function label(code) {
  if (!code) return "";
  const words = code.replace(/_/g, " ");
  return words.charAt(0).toUpperCase() + words.slice(1);
}

// Short amounts for chart axes: ₹2.5 Cr, ₹3.4 L, ₹45K, ₹900.
export function compactRupees(paise) {
  const r = paise / 100;
  const trim = (n) => (Number.isInteger(n) ? String(n) : n.toFixed(1).replace(/\.0$/, ""));
  if (r >= 1e7) return `₹${trim(r / 1e7)} Cr`;
  if (r >= 1e5) return `₹${trim(r / 1e5)} L`;
  if (r >= 1e3) return `₹${trim(r / 1e3)}K`;
  return `₹${Math.round(r)}`;
}
