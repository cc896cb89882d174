// The kitchen display's status chrome: the connection indicator and offline banner, the toast, and the tickets'
// age timers (amber and red at the settings' thresholds).

import { $, config, describeRetry } from "./common.js";
import { checkSound } from "./kitchen-alert.js";

const WARN_SECONDS = (config.warnMinutes || 10) * 60;
const LATE_SECONDS = (config.lateMinutes || 20) * 60;

export function setConn(kind, text) {
  const conn = $("#conn");
  conn.dataset.state = kind;
  $("#conn-text").textContent = text;
}

let retryTimer = null;

export function onSocketState(kind, detail) {
  clearInterval(retryTimer);
  const banner = $("#offline-banner");
  if (kind === "live") {
    setConn("live", "Live");
    banner.hidden = true;
    document.body.dataset.connection = "live";
    checkSound();
    return;
  }
  document.body.dataset.connection = kind;
  if (kind === "connecting") {
    setConn("connecting", "Connecting…");
    return;
  }
  if (kind === "refused") {
    banner.hidden = true;
    return;
  }
  if (kind === "resyncing") {
    setConn("connecting", "Resyncing…");
    return;
  }
  setConn("offline", "Offline");
  banner.hidden = false;
  const text = $("#offline-text");
  if (kind === "offline" && detail.retryAt) {
    const update = () => {
      text.textContent = `New orders will not appear until the connection is back. ${describeRetry(detail.retryAt)}`;
    };
    update();
    retryTimer = setInterval(update, 500);
  } else {
    text.textContent = "New orders will not appear until the connection is back. Reconnecting…";
  }
}

let toastTimer = null;

export function showToast(message) {
  const toast = $("#toast");
  toast.textContent = message;
  toast.hidden = false;
  clearTimeout(toastTimer);
  toastTimer = setTimeout(() => {
    toast.hidden = true;
  }, 8000);
}

/** Tick every ticket's age timer; `fresh` (id -> arrival time) loses its highlight after `freshMs`. */
export function tick(board, fresh, freshMs) {
  const now = Date.now();
  for (const [id, at] of fresh) {
    if (now - at > freshMs) {
      fresh.delete(id);
      const li = board.querySelector(`li[data-id="${CSS.escape(id)}"]`);
      if (li) {
        li.classList.remove("is-new");
        const marker = li.querySelector(".ticket-new");
        if (marker) marker.remove();
      }
    }
  }
  for (const timer of board.querySelectorAll(".timer")) {
    const seconds = Math.floor((now - Date.parse(timer.dataset.since)) / 1000);
    const ticket = timer.closest(".ticket");
    let level = "ok";
    let text;
    if (seconds < 0) {
      text = `in ${clock(-seconds)}`;
      level = "waiting";
    } else {
      text = clock(seconds);
      if (seconds >= LATE_SECONDS) level = "late";
      else if (seconds >= WARN_SECONDS) level = "warn";
    }
    if (timer.textContent !== text) timer.textContent = text;
    if (timer.dataset.level !== level) {
      timer.dataset.level = level;
      if (ticket) ticket.dataset.age = level;
    }
  }
}

function clock(total) {
  const hours = Math.floor(total / 3600);
  const minutes = Math.floor((total % 3600) / 60);
  const seconds = total % 60;
  const mm = hours ? String(minutes).padStart(2, "0") : String(minutes);
  const ss = String(seconds).padStart(2, "0");
  return hours ? `${hours}:${mm}:${ss}` : `${mm}:${ss}`;
}
