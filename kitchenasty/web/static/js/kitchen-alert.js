// The kitchen display's sound and its new-order alert: the chime (Web Audio, three short tones), armed by a tap
// because browsers allow sound only after a gesture; an alert that rings again every N seconds (the setting
// orders.kitchenAlertRepeatSeconds) while an order on this screen is unacknowledged, with a vibration where the
// device has one; and the count of unacknowledged orders in the tab title ("(3) Kitchen display") and as a badge
// on the favicon (a canvas drawn to a data: URL, which the page's CSP img-src allows).
//
// Tests read `body[data-alerts]` (alert rounds rung so far, with or without sound), `body[data-unacknowledged]`
// and `#sound-btn[data-chimes]` (tones actually played).

import { $, storage } from "./common.js";

const SOUND_KEY = "kitchenasty.kitchen.sound";

let audio = null;
let chimes = 0;

export function setupSound() {
  const button = $("#sound-btn");
  button.hidden = false;
  button.addEventListener("click", () => {
    if (storage.get(SOUND_KEY) === "on" && audio && audio.state === "running") {
      storage.set(SOUND_KEY, "off");
    } else {
      storage.set(SOUND_KEY, "on");
      unlockAudio();
      chime();
    }
    checkSound();
  });
  // Browsers allow sound only after a gesture: the first tap or key press anywhere re-arms it.
  const unlock = () => {
    if (storage.get(SOUND_KEY) === "on") unlockAudio();
    checkSound();
  };
  document.addEventListener("pointerdown", unlock, true);
  document.addEventListener("keydown", unlock, true);
  checkSound();
}

function unlockAudio() {
  const Context = window.AudioContext || window.webkitAudioContext;
  if (!Context) return;
  if (!audio) audio = new Context();
  if (audio.state === "suspended") audio.resume().then(checkSound, checkSound);
}

function soundReady() {
  return storage.get(SOUND_KEY) === "on" && audio !== null && audio.state === "running";
}

export function checkSound() {
  const wanted = storage.get(SOUND_KEY) === "on";
  const ready = soundReady();
  const button = $("#sound-btn");
  button.setAttribute("aria-pressed", ready ? "true" : "false");
  button.textContent = ready ? "Sound on" : "Enable sound";
  button.dataset.chimes = String(chimes);
  $("#sound-banner").hidden = !(wanted && !ready);
}

/** Three short tones (880 / 1320 / 880 Hz, triangle wave, about half a second): audible over kitchen noise. */
export function chime() {
  if (!soundReady()) {
    checkSound();
    return;
  }
  const start = audio.currentTime + 0.02;
  [
    [880, 0],
    [1320, 0.18],
    [880, 0.36],
  ].forEach(([frequency, offset]) => {
    const oscillator = audio.createOscillator();
    const gain = audio.createGain();
    oscillator.type = "triangle";
    oscillator.frequency.value = frequency;
    const t = start + offset;
    gain.gain.setValueAtTime(0.0001, t);
    gain.gain.exponentialRampToValueAtTime(0.6, t + 0.02);
    gain.gain.exponentialRampToValueAtTime(0.0001, t + 0.16);
    oscillator.connect(gain).connect(audio.destination);
    oscillator.start(t);
    oscillator.stop(t + 0.18);
  });
  chimes += 1;
  $("#sound-btn").dataset.chimes = String(chimes);
}

// ------------------------------------------------------------------ the repeating alert

let repeatMs = 15000;
let timer = null;
let rounds = 0;
let baseTitle = "";
let shownCount = -1;

export function setupAlert(repeatSeconds) {
  repeatMs = Math.max(1, Number(repeatSeconds) || 15) * 1000;
  baseTitle = document.title;
  document.body.dataset.alerts = "0";
  showCount(0);
}

/**
 * How many orders on this screen wait for an acknowledgement. While any does, the alert rings every N seconds;
 * `arrived` (a new order, or unacknowledged ones in a fresh snapshot) rings at once.
 */
export function setUnacknowledged(count, { arrived = false } = {}) {
  showCount(count);
  if (count === 0) {
    clearInterval(timer);
    timer = null;
    return;
  }
  if (timer === null || arrived) ring();
  if (timer === null) timer = setInterval(ring, repeatMs);
}

/** Stop ringing (logged out). */
export function stopAlert() {
  setUnacknowledged(0);
}

function ring() {
  rounds += 1;
  document.body.dataset.alerts = String(rounds);
  chime();
  // Browsers refuse (and log) a vibration before the first tap on the page: ask only after one.
  const tapped = !navigator.userActivation || navigator.userActivation.hasBeenActive;
  if (typeof navigator.vibrate === "function" && tapped) {
    try {
      navigator.vibrate([300, 150, 300]);
    } catch {
      // vibration is a courtesy: a browser that refuses it (no user gesture yet) changes nothing
    }
  }
}

function showCount(count) {
  if (count === shownCount) return;
  shownCount = count;
  document.body.dataset.unacknowledged = String(count);
  document.title = count ? `(${count}) ${baseTitle}` : baseTitle;
  const link = document.querySelector('link[rel="icon"]');
  if (link) link.href = count ? badgeIcon(count) : "data:,";
}

/** A 64 px favicon: a red disc with the count in white (9+ above nine). */
function badgeIcon(count) {
  const canvas = document.createElement("canvas");
  canvas.width = 64;
  canvas.height = 64;
  const context = canvas.getContext("2d");
  if (!context) return "data:,";
  context.fillStyle = "#dc2626";
  context.beginPath();
  context.arc(32, 32, 31, 0, Math.PI * 2);
  context.fill();
  context.fillStyle = "#ffffff";
  context.font = "bold 40px sans-serif";
  context.textAlign = "center";
  context.textBaseline = "middle";
  context.fillText(count > 9 ? "9+" : String(count), 32, 35);
  return canvas.toDataURL("image/png");
}
